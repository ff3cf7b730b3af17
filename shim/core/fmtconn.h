/*
 * The connect event's text and JSON (fmtconn.c), for format.c: a file of
 * its own, so that format.c stays one screenful per event type.
 */
#ifndef BW_FMTCONN_H
#define BW_FMTCONN_H

#include "buf.h"
#include "event.h"

void	 bw_fmtconn_text(struct bw_buf *, const struct bw_event *);
void	 bw_fmtconn_json(struct bw_buf *, const struct bw_event *);

#endif
