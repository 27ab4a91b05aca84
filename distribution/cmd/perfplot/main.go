// Command perfplot draws the ratios measured by the comparison benchmark
// (package bench, BenchmarkCompare with -compare.out) as a PNG: one panel
// per latency, one group of bars per provider and workload: stowage
// against distribution's own driver (the reference), against the raw SDK,
// and against itself (the A/A control). A bar past 1 means stowage was
// faster; the shaded band is the spread of the A/A control on the machine.
//
//	go run ./cmd/perfplot [-table] [-write merged.jsonl] -o ../docs/performance.png results.jsonl...
//
// -table also prints the Markdown tables the benchmark printed. Each file
// after the first replaces the workloads it measured (bench.Replace): a
// run that measured a few workloads again after a change updates them
// whole, every slot from the same run. -write saves the merged
// measurements (it may name the first file).
package main

import (
	"flag"
	"fmt"
	"image/color"
	"log"
	"math"
	"os"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/stowage/stowage/distribution/bench"
)

func main() {
	out := flag.String("o", "performance.png", "PNG file to write")
	table := flag.Bool("table", false, "also print the Markdown tables of the comparison on standard output")
	write := flag.String("write", "", "JSON lines file to write the merged measurements to")
	maxRatio := flag.Float64("max", 3, "ratios above this are drawn at it, with their value written beside")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("usage: perfplot [-o file.png] results.jsonl...")
	}
	var results []bench.Result
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			log.Fatal(err)
		}
		r, err := bench.ReadJSON(f)
		f.Close()
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		results = bench.Replace(results, r)
	}
	if *write != "" {
		if err := writeJSON(*write, results); err != nil {
			log.Fatal(err)
		}
	}
	if *table {
		bench.Report(os.Stdout, results)
	}
	if err := draw1(bench.Rows(results), *out, *maxRatio); err != nil {
		log.Fatal(err)
	}
}

var series = []struct {
	slot  string
	label string
	color color.Color
}{
	{bench.Reference, "stowage / distribution's driver", color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}},
	{bench.SDK, "stowage / raw SDK", color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}},
	{bench.Again, "A/A control (stowage / stowage)", color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}},
}

func draw1(rows []bench.Row, out string, maxRatio float64) error {
	var latencies []string
	for _, r := range rows {
		if !slices.Contains(latencies, r.Latency) {
			latencies = append(latencies, r.Latency)
		}
	}
	// The same labels, in the same order, in every panel: the first
	// measured at the top, and room for the legend at the bottom.
	var labels []string
	for _, r := range rows {
		l := r.Provider + ": " + r.Workload
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	slices.Reverse(labels)
	labels = append([]string{"", "", ""}, labels...)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		if v, ok := r.Ratio[bench.Again]; ok {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	plots := make([][]*plot.Plot, 1)
	for i, lat := range latencies {
		p := plot.New()
		p.Title.Text = "latency " + lat + " each way"
		p.X.Label.Text = "other's time / stowage's (> 1: stowage faster)"
		p.X.Min, p.X.Max = 0, maxRatio
		n := float64(len(labels))
		if !math.IsInf(lo, 0) {
			band, err := plotter.NewPolygon(plotter.XYs{{X: lo, Y: -1}, {X: hi, Y: -1}, {X: hi, Y: n}, {X: lo, Y: n}})
			if err != nil {
				return err
			}
			band.Color = color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
			band.LineStyle.Width = 0
			p.Add(band)
		}
		one, err := plotter.NewLine(plotter.XYs{{X: 1, Y: -1}, {X: 1, Y: n}})
		if err != nil {
			return err
		}
		one.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(one)
		w := vg.Points(4)
		var notes plotter.XYLabels
		for k, s := range series {
			vals := make(plotter.Values, len(labels))
			any := false
			for _, r := range rows {
				if r.Latency != lat {
					continue
				}
				v, ok := r.Ratio[s.slot]
				if !ok {
					continue
				}
				any = true
				j := slices.Index(labels, r.Provider+": "+r.Workload)
				if v > maxRatio {
					notes.XYs = append(notes.XYs, plotter.XY{X: maxRatio * 0.82, Y: float64(j) + float64(k-1)*0.3})
					notes.Labels = append(notes.Labels, fmt.Sprintf("%.1f", v))
					v = maxRatio
				}
				vals[j] = v
			}
			if !any {
				continue
			}
			bars, err := plotter.NewBarChart(vals, w)
			if err != nil {
				return err
			}
			bars.Horizontal = true
			bars.Color = s.color
			bars.LineStyle.Width = 0
			bars.Offset = vg.Length(k-1) * w
			p.Add(bars)
			if i == len(latencies)-1 {
				p.Legend.Add(s.label, bars)
			}
		}
		if len(notes.Labels) > 0 {
			l, err := plotter.NewLabels(notes)
			if err != nil {
				return err
			}
			p.Add(l)
		}
		if i == 0 {
			p.NominalY(labels...)
		} else {
			p.NominalY(make([]string, len(labels))...)
		}
		p.Y.Tick.Label.Font.Size = vg.Points(7)
		p.Legend.Top = false
		p.Legend.Left = false
		p.Legend.TextStyle.Font.Size = vg.Points(8)
		p.Add(plotter.NewGrid())
		plots[0] = append(plots[0], p)
	}
	height := vg.Points(float64(len(labels))*13 + 90)
	width := vg.Points(330*float64(len(latencies)) + 150)
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(96))
	dc := draw.New(img)
	t := draw.Tiles{Rows: 1, Cols: len(latencies), PadX: vg.Points(8)}
	canvases := plot.Align(plots, t, dc)
	for j, p := range plots[0] {
		p.Draw(canvases[0][j])
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeJSON(name string, results []bench.Result) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := bench.WriteJSON(f, results); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
