-- A refresh finds the successor of the pair it presents among the pairs of the pair's session
-- (token_pairs_session; pruning keeps at most eight a session), so parent_id needs no index of its
-- own: every pair a refresh inserts, and every row version an update writes, costs one index
-- entry fewer.
DROP INDEX token_pairs_parent;
