/*
 * results_int: what the results writers and readers share (results.c, results_out.c,
 * results_read.c). Not part of the results API.
 */
#ifndef GL_RESULTS_INT_H
#define GL_RESULTS_INT_H

#include <stdbool.h>

#include "edn.h"
#include "results.h"

/* gossip-lab's own key in results.json: convergence at the final reads (convergence.h). */
#define RESULTS_CONVERGENCE_KEY "gossip-lab/convergence"

/* The results as one EDN value in Maelstrom's layout (spec §6.2); NULL when out of memory. */
struct edn *results_to_edn(struct edn_arena *a, const struct results *r);

/* Record i of h as a #jepsen.history.Op{...} value; :f :add for broadcasts when f_as_add. */
struct edn *results_op_to_edn(struct edn_arena *a, const struct history *h, size_t i,
                              bool f_as_add);

/*
 * Fills r (initialised by the caller) from a results value. from_json: the value came from
 * results.json, whose ops keep non-integer values, errors and exceptions as EDN text strings.
 * 0, or -1 with err.
 */
int results_from_edn(struct results *r, const struct edn *v, bool from_json, char *err,
                     size_t errlen);

#endif
