"""The registrant's own page, opened by the management link of their e-mails (/m/<secret>):
cancel, correct their details, have the ticket sent again, erase their data."""
