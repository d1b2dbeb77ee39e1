-- Erasure reaches a referral's risk evidence: each signal's detail
-- (invitations.risk_signals, 00051) may quote the guest's or the host's
-- e-mail or external id. erase_participant blanks the details and keeps
-- each signal's code and level, so the invitation's risk level, and every
-- review decided from it, stay as they were. And where the participant
-- was seen from (participant_clients, 00052: keyed hashes of IP addresses
-- and user agents) is deleted with them.

-- +goose Up
GRANT UPDATE (risk_signals) ON invitations TO tandem_eraser;
GRANT SELECT, DELETE ON participant_clients TO tandem_eraser;
