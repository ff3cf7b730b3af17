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

#endif
