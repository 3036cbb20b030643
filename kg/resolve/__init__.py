"""Resolution: mentions become canonical entities with stable IRIs."""
