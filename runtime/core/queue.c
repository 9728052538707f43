/* queue.c — mutex and two condition variables around a ring of pointers.
 * Ownership of each item passes from the pushing thread to the popping one. */
#include "runtime/core/queue.h"

void imhe_queue_init(struct imhe_queue *q) {
  q->head = q->tail = q->count = 0;
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->not_empty, NULL);
  pthread_cond_init(&q->not_full, NULL);
}

void imhe_queue_destroy(struct imhe_queue *q) {
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->not_empty);
  pthread_cond_destroy(&q->not_full);
}

void imhe_queue_push(struct imhe_queue *q, void *item) {
  pthread_mutex_lock(&q->mu);
  while (q->count == IMHE_QUEUE_CAP)
    pthread_cond_wait(&q->not_full, &q->mu);
  q->items[q->tail] = item;
  q->tail = (q->tail + 1) % IMHE_QUEUE_CAP;
  q->count++;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

void *imhe_queue_pop(struct imhe_queue *q) {
  pthread_mutex_lock(&q->mu);
  while (q->count == 0)
    pthread_cond_wait(&q->not_empty, &q->mu);
  void *item = q->items[q->head];
  q->head = (q->head + 1) % IMHE_QUEUE_CAP;
  q->count--;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->mu);
  return item;
}
