"""The safety page (安全管理): checks, hazards, incidents, visitors, the month's sign-off."""
