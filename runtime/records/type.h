/* type.h — a YAML document typed into a record as its events come, against the record schema
 * (records.md); what it finds is the record's, in its arena. */
#ifndef IMHE_TYPE_H
#define IMHE_TYPE_H

struct imhe_record;
struct ypull;

/* Reads a document's root node through p (events.h) and types it into r; a root that is not a
 * mapping is passed over (the reader decides what it is once the document ends). */
void imhe_type_document(struct imhe_record *r, struct ypull *p);

#endif
