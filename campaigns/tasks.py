"""Celery tasks of campaigns: none of its own. Deadlines of deliverables and rectification items are swept by
the shared `portal.tasks.sweep_deadlines` (the overdue handler re-notifies); deliverable deadlines follow a
campaign's scope and due dates in the services that change them."""
