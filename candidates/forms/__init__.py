"""Forms of the candidates app, one module per area: intake, staff, help requests."""
