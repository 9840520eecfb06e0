"""Messages to an event's registrants by attendance: confirmed, in line, came, did not come;
previewed with the recipient count, sent once through the outbox, audited."""
