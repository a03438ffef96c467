# gen_article.awk: a made-up news article for tests/cli/learn.sh, from seed
# (awk -v seed=N -f gen_article.awk): a headline and six paragraphs of
# stopword-rich prose, so that winnow keeps it and no two pages share a line.
function pick(a, n) { return a[int(rand() * n) + 1] }
BEGIN {
	srand(seed)
	ns = split("council mayor company union court minister police school hospital committee board agency farmers residents officials researchers", subj, " ")
	nv = split("said announced confirmed warned argued reported explained promised decided suggested", verb, " ")
	no = split("budget plan project report vote decision proposal contract investigation study policy deal", obj, " ")
	nw = split("on Monday|on Tuesday|last week|this year|after the meeting|in a statement|during the hearing|before the election", when, "|")
	na = split("new|local|national|annual|controversial|long-awaited|revised|final", adj, "|")
	printf "The %s %s the %s %s %s\n\n", pick(subj, ns), pick(verb, nv), pick(adj, na), pick(obj, no), pick(when, nw)
	for (p = 1; p <= 6; p++) {
		line = ""
		for (k = 1; k <= 3; k++)
			line = line sprintf("The %s %s %s that the %s %s would be ready for the %d residents of the area by %d, and that it was one of the %s issues for the %s. ", pick(subj, ns), pick(verb, nv), pick(when, nw), pick(adj, na), pick(obj, no), int(rand() * 90000) + 1000, 2020 + int(rand() * 9), pick(adj, na), pick(subj, ns))
		sub(/ $/, "", line)
		print line
		print ""
	}
}
