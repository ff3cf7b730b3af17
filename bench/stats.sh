# shellcheck shell=sh
# Statistics shared by bench/bench.sh and bench/report.sh (sourced).

# Numbers on stdin -> "median lo hi": lo and hi bound a distribution-free
# confidence interval of the median (order statistics, >= 95% two-sided:
# the largest k with P(Binomial(n, 1/2) < k) <= 2.5%).  With fewer than
# six numbers no such interval exists: lo and hi are the extremes.
ci() {
	sort -g | awk '{ v[NR] = $1 } END {
		n = NR; if (n == 0) { print "- - -"; exit }
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		k = 0; p = 0; c = 1	# c = C(n, j), p = P(X <= j - 1)
		for (j = 0; j < n; j++) {
			if ((p + c / 2 ^ n) > 0.025) break
			p += c / 2 ^ n; c = c * (n - j) / (j + 1); k = j + 1
		}
		if (k == 0) k = 1
		print m, v[k], v[n + 1 - k] }'
}

# turn K WORD...: the words turned by K places (round K's order), so that
# no mode always runs first or last.
turn() {
	k=$(($1 % ($# - 1)))
	shift
	while [ "$k" -gt 0 ]; do
		w=$1
		shift
		set -- "$@" "$w"
		k=$((k - 1))
	done
	echo "$@"
}

# The data path's rounds (files of requests/s, one line a round) -> "median
# lo hi" of bindwatch against the mean of the same round's two bare runs.
dp_ratios() {
	paste "$1" "$2" "$3" | awk 'NF == 3 && $2 + $3 > 0 { print 2 * $1 / ($2 + $3) }' | ci
}
