package chart

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"testing"
)

var blue = color.RGBA{31, 119, 180, 255}

func sample() Chart {
	return Chart{
		Title:  "terraform plan wall time against N",
		XLabel: "data sources (N)",
		YLabel: "seconds",
		LogX:   true,
		Series: []Series{
			{Label: "sailpoint_source_usages", Points: []Point{{1, 0.3}, {100, 0.8}, {1000, 5.2}}, Color: blue},
			{Label: "baseline", Points: []Point{{1, 0.2}, {100, 0.6}, {1000, 4.9}}, Color: color.RGBA{255, 127, 14, 255}, Dashed: true, Hollow: true},
		},
	}
}

func TestEncodePNG(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().EncodePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 960 || b.Dy() != 600 {
		t.Fatalf("size %v, want 960x600", b)
	}
	// The series is drawn: its colour appears, and more than the legend's sample of it.
	n := 0
	for y := 0; y < 600; y++ {
		for x := 0; x < 960; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == blue {
				n++
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d pixels of the first series", n)
	}
}

func TestDrawRejectsWhatItCannotShow(t *testing.T) {
	for name, c := range map[string]Chart{
		"empty":        {LogX: true},
		"zero on log":  {LogX: true, Series: []Series{{Points: []Point{{0, 1}}}}},
		"negative y":   {Series: []Series{{Points: []Point{{1, -1}}}}},
		"NaN":          {Series: []Series{{Points: []Point{{1, math.NaN()}}}}},
		"tiny picture": {Width: 10, Height: 10, Series: []Series{{Points: []Point{{1, 1}}}}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Draw(); err == nil {
				t.Fatal("drawn without an error")
			}
		})
	}
}

func TestLinearAxisAndSinglePoint(t *testing.T) {
	c := Chart{Title: "one point", Series: []Series{{Label: "x", Points: []Point{{5, 0}}, Color: blue}}}
	if _, err := c.Draw(); err != nil {
		t.Fatal(err)
	}
}

func TestNiceStepAndTicks(t *testing.T) {
	for raw, want := range map[float64]float64{0.13: 0.2, 1: 1, 1.2: 2, 3: 5, 7: 10, 45: 50, 0: 1} {
		if got := niceStep(raw); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceStep(%v) = %v, want %v", raw, got, want)
		}
	}
	if got := formatTick(0.4, 0.2); got != "0.4" {
		t.Errorf("formatTick = %q", got)
	}
	if got := formatTick(10, 5); got != "10" {
		t.Errorf("formatTick = %q", got)
	}
	r := xRange{log: true, min: 0, max: 3}
	if got := r.ticks(); len(got) != 4 || got[3] != 1000 {
		t.Errorf("log ticks %v", got)
	}
	if f := r.fraction(100); math.Abs(f-2.0/3) > 1e-12 {
		t.Errorf("fraction(100) = %v", f)
	}
}

func TestGlyphsAreWellFormed(t *testing.T) {
	for r, g := range glyphs {
		for i, row := range g {
			if len(row) != glyphW {
				t.Errorf("glyph %q row %d is %d wide", r, i, len(row))
			}
		}
	}
	if got := textWidth("ab"); got != (2*glyphW+glyphGap)*textScale {
		t.Errorf("textWidth = %d", got)
	}
}
