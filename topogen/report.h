/*
 * report: the human-readable results of an enumeration (tg_enum_run): the count and its
 * independent cross-check, the distinct out-degree vectors ranked by sum f, the minimisers with
 * one drawing per symmetry class, and the majorization verdict; and the rank of a given tree
 * inside its class (--within).
 */
#ifndef GL_TG_REPORT_H
#define GL_TG_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "enum.h"

/* "all spanning trees", "shortest-path trees", "depth <= 4". */
void tg_class_describe(const struct tg_class *cls, char *buf, size_t size);

/*
 * The independent count of the class, when one exists: the Matrix-Tree theorem for `any` (and
 * depth bounds >= N-1), the product of parent choices for `shortest`, 0 below the root's
 * eccentricity. Returns 1 with *count set, 0 when there is none, -1 with err on overflow.
 */
int tg_class_expected(const struct tg_enum_cfg *cfg, tg_u128 *count, char *err, size_t errlen);

/*
 * Prints the report. top: how many vectors and representatives to show. save_prefix: if not
 * NULL, representative k is also written as <prefix>-<k>.json. Returns 0, or -1 with err when
 * the count disagrees with its cross-check or a file cannot be written.
 */
int tg_report_class(FILE *out, const struct tg_enum_cfg *cfg, const struct tg_enum_result *res,
                    uint32_t top, const char *save_prefix, char *err, size_t errlen);

/* Prints where the tree par ranks among the class's vectors. */
int tg_report_within(FILE *out, const struct tg_enum_cfg *cfg, const struct tg_enum_result *res,
                     const uint8_t *par);

#endif
