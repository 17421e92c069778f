/* catalogue.h: the plans of an index and one plan's outline, as JSON (for the server's page). */
#ifndef PQ_CATALOGUE_H
#define PQ_CATALOGUE_H

#include "status.h"
#include "store.h"

#include <stdio.h>

/*
 * Every plan of the index, in index order: {"total": N, "plans": [{"city_id", "city",
 * "province", "title", "title_supplied", "document" (the title as results show it,
 * pq_label_document), "label" (the city as results group it, pq_label_city), "date" (null
 * when undated), "file", "passages", "characters", "bytes", "sha256"}…]}, one line, written
 * plan by plan. Returns PS_OK, or PS_ERR_IO with a malloc'd message in *error (a write
 * failed, no memory).
 */
ps_status_t pq_catalogue_write_plans(FILE *out, ps_store_t *index, char **error);

/*
 * One plan's outline, its sections in text order: {"plan": {the fields above}, "sections":
 * [{"id" (the section's passage id, which cite takes), "path", "number", "title",
 * "heading" (number and title as shown, "(preamble)" for the root), "depth", "parent"
 * (the parent's index in this list, -1 for the root), "article", "line", "clauses"
 * (its own and its sub-sections')}…]}. Returns PS_OK; or PS_ERR_CORRUPT with a message
 * when the outline cannot be read, PS_ERR_IO when a write fails or memory runs out.
 */
ps_status_t pq_catalogue_write_outline(FILE *out, ps_store_t *index, const ps_plan_t *plan,
				       char **error);

/* The plan `name` names: a city_id exactly, else as ps_store_find_city reads a city name
 * (the first of its plans). NULL when none does. */
const ps_plan_t *pq_catalogue_find_plan(ps_store_t *index, const char *name);

#endif
