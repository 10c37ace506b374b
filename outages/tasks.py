"""Celery tasks of the outages app: thin, idempotent, by id."""

from celery import shared_task


@shared_task(acks_late=True)
def reevaluate_notices(ids: list[int]) -> int:
    """Re-judge these notices (e.g. after an import or a rule correction). Safe to run twice."""
    from outages.evaluation import notices_reevaluate

    return notices_reevaluate(ids=ids)


@shared_task(acks_late=True)
def reevaluate_utility(utility_id: int) -> int:
    """Re-judge every notice of a utility's subtree (after a rule of its province changed)."""
    from outages.evaluation import utility_reevaluate

    return utility_reevaluate(utility_id=utility_id)
