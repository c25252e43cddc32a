"""People's mediation of a case: sessions, the agreement and its PDF, the judicial-confirmation reminder."""
