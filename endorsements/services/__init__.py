"""Use-cases of the endorsements app: races (candidacies and the stages they set),
applications and their eligibility, review (checks, rubric, votes, decisions), money
(limits and contributions), and the public list of endorsements."""
