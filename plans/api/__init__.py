"""The SIG development plan over the API (/api/v1/plans/…, /activities/…, /products/…,
/budget-tasks/…, /change-requests/…). Same access helpers (plans.access), services
(plans.services) and read-side queries (plans.selectors) as the pages: every person with a role
reads plans, a UT role sees only the activities that involve its UT (404 on the others), plans
are kept by the SIG coordinator and the UPPM head, the Director approves; business rules refused
by a service are 400 naming the field, malformed input is 422 naming the field."""

from ninja import Router

from plans.api import activities, budget, changes, plan

router = Router()
for part in (plan, activities, budget, changes):
    router.add_router("", part.router)
