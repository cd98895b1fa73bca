"""Endorsements and funding. For now it registers the funding help-request kind."""
