"""Alert channels: the in-app inbox (the alert rows themselves) and Apprise URLs (mail, JSON
webhooks, chat services) from TRACKER_ALERT_URLS."""
