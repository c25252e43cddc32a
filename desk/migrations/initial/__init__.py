"""The first release's schema (migration c58f37d4625d), one module per concept, each creating its tables in an
order their foreign keys allow and dropping them in reverse. Created org, then cases, then talent."""
