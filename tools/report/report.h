/*
 * The summary of a run, rendered from its findings (analyze.h): as text
 * for a person, or as the JSON object that ends a --json stream.
 */
#ifndef BW_REPORT_H
#define BW_REPORT_H

#include <stdio.h>

#include "analyze.h"

void	 bw_report_text(const struct bw_findings *, FILE *, int, int);
void	 bw_report_json(const struct bw_findings *, FILE *, int);

struct bw_jsonw;

/* sharing_out.c: reuseport-shared and exact-beats-wildcard warnings. */
void	 bw_sharing_text(FILE *, const struct bw_findings *, const char *,
	    const char *);
void	 bw_sharing_json(struct bw_jsonw *, const struct bw_findings *);

/* cause.c: why a failed bind failed, in words after its errno. */
void	 bw_text_cause(FILE *, const struct bw_fbind *);
void	 bw_text_cause_advice(FILE *, const struct bw_fbind *);

#endif
