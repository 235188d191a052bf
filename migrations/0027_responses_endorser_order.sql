-- responses: the order in which editors chose to list a published response's endorsers
-- (responses::Endorsements::order_endorsers), 1 for the first. NULL everywhere means the default:
-- alphabetical, collated for the reader's language.
ALTER TABLE response_endorsers ADD COLUMN position INTEGER;
