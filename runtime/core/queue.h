/* queue.h — a bounded single-producer, single-consumer queue of pointers between two threads.
 * Bounded so a batch's memory stays flat: the reader waits while the judge is behind. */
#ifndef IMHE_QUEUE_H
#define IMHE_QUEUE_H

#include <pthread.h>

#define IMHE_QUEUE_CAP 64

struct imhe_queue {
  void *items[IMHE_QUEUE_CAP];
  unsigned head, tail, count;
  pthread_mutex_t mu;
  pthread_cond_t not_empty, not_full;
};

void imhe_queue_init(struct imhe_queue *q);
void imhe_queue_destroy(struct imhe_queue *q);
void imhe_queue_push(struct imhe_queue *q, void *item); /* waits while full */
void *imhe_queue_pop(struct imhe_queue *q);             /* waits while empty */

#endif
