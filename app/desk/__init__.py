"""The building's security desk: its list of people expected, sent at the cutoff, then the
changes only (`services`), as a mail with a PDF sign-in sheet and a spreadsheet (`messages`)."""
