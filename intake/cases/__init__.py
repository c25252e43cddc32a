"""Cases: the detail page with clocks and actions, the notices as PDFs, attachments, the list and its export."""
