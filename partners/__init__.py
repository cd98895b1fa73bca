"""Partner organisations. For now it registers the partner-introduction help-request kind."""
