"""Views of the candidates app, one module per area: intake (public signup and the link that
confirms proposed changes), staff (candidate pages), review (merge review), imports (CSV
import), help_requests (the conversation, staff's overview and settings)."""
