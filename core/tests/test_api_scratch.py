def test_scratch(db):
    from organization.models import Site, OrgUnit, Process, ManagementSystem, Scope, LegalNorm, GlossaryTerm
    from catalog.models import Standard, Edition, Requirement, HarmonizedClause
    from accounts.models import User, RoleAssignment
    from audit.models import AuditEvent
    for m in [Site, OrgUnit, Process, ManagementSystem, Scope, LegalNorm, GlossaryTerm, Standard, Edition, Requirement, HarmonizedClause, User, RoleAssignment, AuditEvent]:
        print(m.__name__, m.objects.count())
    print(list(Edition.objects.values_list('id', 'label')))
    print(list(Standard.objects.values_list('id', 'code')))
    print(list(Process.objects.values_list('level', flat=True).distinct()))
    print(list(Site.objects.values_list('id', 'code', 'kind')[:5]))
    print(list(User.objects.values_list('username', 'site__code')))
    print(list(ManagementSystem.objects.values_list('code', 'scope__name')))
    print(list(AuditEvent.objects.values_list('action', 'object_type', 'site_id')[:10]))
