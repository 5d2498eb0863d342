"""The manager links of an HR import, checked against the directory: no loops, and no manager nobody knows."""

from __future__ import annotations

from collections.abc import Mapping

from bot.people_import import ImportPlan, RowProblem

PENDING_HINT = "use --pending-managers to keep such links until the managers are imported"


def check_managers(
    plan: ImportPlan, directory: Mapping[str, str], *, replacing: bool = False, pending: bool = False
) -> None:
    """Reject the rows of a manager loop, and rows whose manager is neither in the directory nor in the file
    (with ``pending``, keep those links and warn instead: they take effect once the manager is imported).

    ``directory`` maps each email in the directory to its manager's email; ``replacing`` means the people the
    file leaves out are being removed, so they count neither as managers nor as links in a loop."""
    staying = {e: m for e, m in directory.items() if not replacing or e in plan.rows_by_email}
    _reject_loops(plan, staying)
    _check_known(plan, set(staying), pending)
    plan.problems.sort(key=lambda problem: problem.row)  # stable: each row's problems keep their order


def _reject_loops(plan: ImportPlan, staying: Mapping[str, str]) -> None:
    managers = {**staying, **{p.email: p.manager_email for p in plan.people}}
    in_file = {p.email for p in plan.people}
    loops: list[list[str]] = []
    found: set[frozenset[str]] = set()
    for person in plan.people:
        path: list[str] = []
        node = person.email
        while node and node not in path:
            path.append(node)
            node = managers.get(node, "")
        if node and frozenset(path[path.index(node) :]) not in found:
            loop = path[path.index(node) :]
            found.add(frozenset(loop))
            loops.append(loop)
    for loop in loops:
        if not in_file.intersection(loop):
            continue  # a loop already in the directory, which this file neither makes nor touches
        # Start at the earliest row, so the same file always reads the same way.
        first = min((e for e in loop if e in in_file), key=lambda e: plan.rows_by_email[e])
        loop = loop[loop.index(first) :] + loop[: loop.index(first)]
        rows = tuple(sorted(plan.rows_by_email[e] for e in loop if e in in_file))
        named = [e if e in in_file else f"{e} (in the directory)" for e in loop]
        message = (
            f"a manager loop: {' → '.join([*named, named[0]])}; someone in it must report to a person "
            "outside it"
        )
        problem = RowProblem(rows[0], "manager_email", message, rows=rows if len(rows) > 1 else ())
        plan.reject(set(loop), problem)


def _check_known(plan: ImportPlan, staying: set[str], pending: bool) -> None:
    """Managers must be someone the directory will hold; rejecting a row can orphan another, so repeat."""
    while True:
        known = staying | {p.email for p in plan.people}
        orphans = [p for p in plan.people if p.manager_email and p.manager_email not in known]
        if not orphans:
            return
        for person in orphans:
            row, manager = plan.rows_by_email[person.email], person.manager_email
            if manager in plan.rows_by_email:
                why = f"{manager} is on row {plan.rows_by_email[manager]}, which is rejected"
            else:
                why = f"{manager} is not in the directory or in this file"
            if pending:
                message = f"{why}: kept as a pending link, which takes effect when they are imported"
                plan.warnings.append(RowProblem(row, "manager_email", message))
                continue
            hint = "" if manager in plan.rows_by_email else f" (add them, or {PENDING_HINT})"
            plan.reject({person.email}, RowProblem(row, "manager_email", why + hint))
        if pending:
            return
