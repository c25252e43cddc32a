"""The officials' dashboard: measures and their definitions, scope, backlog, drill-down, charts and exports."""
