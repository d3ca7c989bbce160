"""Use cases, one module per area. The only writers of the database: each
write checks the acting user's permission and is recorded in the audit trail."""
