package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Row is one workload of one comparison (provider and latency): the median
// duration of each slot and the median, over rounds, of each round's
// ratio. A ratio is the other slot's duration divided by stowage's in the
// same round: above 1 stowage was faster, below 1 slower. The A/A ratio
// (Again) is the same driver opened twice: how far apart identical code
// lands on this machine.
type Row struct {
	Provider, Latency, Workload string
	// Median seconds per slot.
	Seconds map[string]float64
	// Ratio per other slot (Again, Reference, SDK), median of the rounds.
	Ratio map[string]float64
	// HeapMiB is the median heap growth per slot, for workloads that
	// measure it.
	HeapMiB map[string]float64
	Rounds  int
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Rows turns results into one Row per provider, latency and workload, in
// the order they were measured.
func Rows(results []Result) []Row {
	type key struct{ p, l, w string }
	var order []key
	by := map[key]map[string]Result{}
	for _, r := range results {
		k := key{r.Provider, r.Latency, r.Workload}
		if by[k] == nil {
			by[k] = map[string]Result{}
			order = append(order, k)
		}
		by[k][r.Slot] = r
	}
	var rows []Row
	for _, k := range order {
		slots := by[k]
		row := Row{Provider: k.p, Latency: k.l, Workload: k.w, Seconds: map[string]float64{}, Ratio: map[string]float64{}, HeapMiB: map[string]float64{}}
		base, ok := slots[Stowage]
		for name, r := range slots {
			row.Seconds[name] = median(r.Seconds)
			if len(r.HeapMiB) > 0 {
				row.HeapMiB[name] = median(r.HeapMiB)
			}
			if !ok || name == Stowage {
				continue
			}
			var ratios []float64
			for i := range min(len(r.Seconds), len(base.Seconds)) {
				if base.Seconds[i] > 0 {
					ratios = append(ratios, r.Seconds[i]/base.Seconds[i])
				}
			}
			row.Ratio[name] = median(ratios)
		}
		row.Rounds = len(base.Seconds)
		rows = append(rows, row)
	}
	return rows
}

func cell(m map[string]float64, k, format string) string {
	v, ok := m[k]
	if !ok {
		return "—"
	}
	return fmt.Sprintf(format, v)
}

// Report prints results as one Markdown table per provider and latency,
// with a column for each slot beyond the usual ones (such as SDKBuffer).
func Report(w io.Writer, results []Result) {
	rows := Rows(results)
	extra := map[string][]string{}
	// The round counts of each table's rows (a table is a run of rows of
	// one provider and latency).
	var rounds [][]int
	table := make([]int, len(rows))
	for i, r := range rows {
		if i == 0 || r.Provider != rows[i-1].Provider || r.Latency != rows[i-1].Latency {
			rounds = append(rounds, nil)
		}
		table[i] = len(rounds) - 1
		if t := table[i]; !slices.Contains(rounds[t], r.Rounds) {
			rounds[t] = append(rounds[t], r.Rounds)
		}
	}
	for _, r := range rows {
		h := r.Provider + " " + r.Latency
		for name := range r.Ratio {
			if name != Again && name != Reference && name != SDK && !slices.Contains(extra[h], name) {
				extra[h] = append(extra[h], name)
			}
		}
	}
	var cur string
	for i, r := range rows {
		h := r.Provider + " " + r.Latency
		mixed := len(rounds[table[i]]) > 1
		if i == 0 || h != cur || table[i] != table[i-1] {
			cur = h
			slices.Sort(extra[h])
			n := fmt.Sprintf("%d rounds", r.Rounds)
			if mixed {
				n = "rounds as each row says" // a table merged from runs of several round counts
			}
			fmt.Fprintf(w, "\n%s, %s each way, %s (ratio: other's time / stowage's, median of the rounds' ratios; > 1 stowage faster)\n\n", r.Provider, r.Latency, n)
			fmt.Fprint(w, "| workload | stowage s | A/A | reference s | stowage/reference | sdk s | stowage/sdk | heap MiB stowage, ref, sdk |")
			for _, name := range extra[h] {
				fmt.Fprintf(w, " stowage/%s |", name)
			}
			fmt.Fprint(w, "\n|---|---|---|---|---|---|---|---|")
			fmt.Fprintln(w, strings.Repeat("---|", len(extra[h])))
		}
		heap := "—"
		if len(r.HeapMiB) > 0 {
			heap = strings.Join([]string{cell(r.HeapMiB, Stowage, "%.0f"), cell(r.HeapMiB, Reference, "%.0f"), cell(r.HeapMiB, SDK, "%.0f")}, ", ")
		}
		name := r.Workload
		if mixed {
			unit := "rounds"
			if r.Rounds == 1 {
				unit = "round"
			}
			name = fmt.Sprintf("%s (%d %s)", name, r.Rounds, unit)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |", name,
			cell(r.Seconds, Stowage, "%.3f"), cell(r.Ratio, Again, "%.2f"),
			cell(r.Seconds, Reference, "%.3f"), cell(r.Ratio, Reference, "%.2f"),
			cell(r.Seconds, SDK, "%.3f"), cell(r.Ratio, SDK, "%.2f"), heap)
		for _, name := range extra[h] {
			fmt.Fprintf(w, " %s |", cell(r.Ratio, name, "%.2f"))
		}
		fmt.Fprintln(w)
	}
}

// Replace returns base with the measurements of a later run, newer, put in
// place of base's: every workload newer measured (a provider, latency and
// workload) replaces base's measurements of it whole, every slot from the
// same run, where base had them. A workload base lacks goes after the one
// newer measured before it at the same provider and latency, or else after
// base's last of that provider and latency, or else last.
func Replace(base, newer []Result) []Result {
	type key struct{ p, l, w string }
	k := func(r Result) key { return key{r.Provider, r.Latency, r.Workload} }
	groups := map[key][]Result{}
	var order []key
	for _, r := range newer {
		if groups[k(r)] == nil {
			order = append(order, k(r))
		}
		groups[k(r)] = append(groups[k(r)], r)
	}
	out := make([]Result, 0, len(base)+len(newer))
	placed := map[key]bool{}
	for _, r := range base {
		g, ok := groups[k(r)]
		if !ok {
			out = append(out, r)
			continue
		}
		if !placed[k(r)] {
			out = append(out, g...)
			placed[k(r)] = true
		}
	}
	for i, key := range order {
		if placed[key] {
			continue
		}
		at := len(out)
		if i > 0 && order[i-1].p == key.p && order[i-1].l == key.l {
			at = lastIndex(out, func(r Result) bool { return k(r) == order[i-1] }) + 1
		} else if j := lastIndex(out, func(r Result) bool { return r.Provider == key.p && r.Latency == key.l }); j >= 0 {
			at = j + 1
		}
		out = slices.Insert(out, at, groups[key]...)
		placed[key] = true
	}
	return out
}

// lastIndex returns the index of the last element of rs that f holds for,
// or -1.
func lastIndex(rs []Result, f func(Result) bool) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if f(rs[i]) {
			return i
		}
	}
	return -1
}
