/* fund: the money the plans set aside. 专项工作经费 ("兩市每年安排對口合作工作專項工作經費"): each
 * side's budget for a year, allocated to work items or projects, each allocation with its
 * document number (文号) and what has been spent. 产业投资基金 ("設立對口合作產業投資基金，支持
 * 對口合作重大項目建設"): funds of a pairing and their investments into its projects.
 *
 * Who does what:
 *   work funds      a side's coordinator enters and edits its own side's budget and
 *                   allocations; the pairing's coordinators and leaders read both sides'.
 *   industry funds  a coordinator of the pairing, either side, records funds and their
 *                   investments; the pairing's coordinators and leaders read them.
 *   Members do not read funds: the allocations name projects a member may not open.
 *   an admin anything; the command line as an admin.
 * Amounts are integer yuan (typed in 万元 on the pages). Every write is audited. */
#ifndef DUIKOU_SERVICE_FUND_H
#define DUIKOU_SERVICE_FUND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

enum { FUND_TEXT_MAX = 100 };

struct fund_allocation {
    int64_t id, work_item_id, project_id, amount, spent;
    const char *target, *purpose, *doc_no, *updated_at; /* target: the item's or project's name */
};

struct work_fund {
    int64_t id; /* 0: no budget entered for that side and year */
    int side;
    int64_t budget, allocated, spent;
    const char *doc_no, *updated_at;
    struct fund_allocation *allocations;
    size_t n_allocations;
};

struct fund_investment {
    int64_t id, project_id, amount;
    const char *project, *on_date;
};

struct industry_fund {
    int64_t id, size, invested, invested_in_year;
    const char *name, *managers, *updated_at;
    struct fund_investment *investments; /* newest first */
    size_t n_investments;
};

struct fund_year {
    int64_t pairing_id;
    int year;
    const char *name_a, *name_b;
    struct work_fund sides[2];
    struct industry_fund *funds;
    size_t n_funds;
    int64_t invested_in_year; /* all the pairing's industry funds, into projects, that year */
};

/* Everything of a pairing's year (pairing 0: the caller's own). */
int fund_year_get(struct ctx *c, int64_t pairing_id, int year, struct fund_year *out);

/* A side's budget for a year (side -1: a coordinator's own), created or replaced: *id the
 * work fund. budget in yuan; doc_no optional. */
int work_fund_set(struct ctx *c, int64_t pairing_id, int side, int year, int64_t budget,
                  const char *doc_no, int64_t *id);

struct fund_allocation_input {
    int64_t work_item_id, project_id; /* at most one; 0 none (a general purpose) */
    const char *purpose;              /* required when neither is given */
    int64_t amount, spent;            /* yuan; spent -1: 0 on create, kept on edit */
    const char *doc_no;               /* the allocation's 文号: required on create */
    const char *if_updated_at;        /* edit */
};
/* The allocated total may not pass the budget (err_fund_over_budget), nor spent its amount
 * (err_fund_overspent). */
int work_fund_allocate(struct ctx *c, int64_t fund_id, const struct fund_allocation_input *in,
                       int64_t *id);
/* Edit an allocation's amount, spent or 文号 (NULL / -1 keep). */
int work_fund_allocation_edit(struct ctx *c, int64_t id, const struct fund_allocation_input *in);

int industry_fund_create(struct ctx *c, int64_t pairing_id, const char *name, int64_t size,
                         const char *managers, int64_t *id);
/* An investment of the fund into a project of its pairing on a day (not after today). */
int industry_fund_invest(struct ctx *c, int64_t fund_id, int64_t project_id, int64_t amount,
                         const char *on_date, int64_t *id);

#endif
