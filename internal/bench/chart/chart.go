// Package chart draws the line chart of the plan benchmarks (plan time against N) as a PNG,
// with the standard library only: image/png and a small built-in bitmap font. It supports
// what that chart needs and no more: a logarithmic or linear x axis, a linear y axis from
// zero, solid or dashed lines with filled or hollow markers, and a legend.
package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
)

// Point is one measurement.
type Point struct{ X, Y float64 }

// Series is one line.
type Series struct {
	Label  string
	Points []Point // drawn in the given order
	Color  color.RGBA
	// Dashed draws the line dashed, Hollow the markers as outlines: the chart uses both for
	// baselines.
	Dashed, Hollow bool
}

// Chart is a line chart.
type Chart struct {
	Title, XLabel, YLabel string
	// LogX draws the x axis in powers of ten; every X must then be positive.
	LogX          bool
	Width, Height int // pixels; zero means 960x600
	Series        []Series
}

var (
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
	grey  = color.RGBA{120, 120, 120, 255}
	grid  = color.RGBA{225, 225, 225, 255}
)

const (
	lineWidth = 3
	marker    = 11 // marker size in pixels, odd so it centres on the point
	padding   = 16
)

// EncodePNG draws the chart and writes it to w as a PNG.
func (c Chart) EncodePNG(w io.Writer) error {
	img, err := c.Draw()
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// Draw renders the chart.
func (c Chart) Draw() (*image.RGBA, error) {
	width, height := c.Width, c.Height
	if width == 0 && height == 0 {
		width, height = 960, 600
	}
	if width < 300 || height < 200 {
		return nil, fmt.Errorf("a %dx%d chart is too small to draw", width, height)
	}
	xr, yMax, err := c.ranges()
	if err != nil {
		return nil, err
	}
	yStep := niceStep(yMax / 5)
	yMax = math.Ceil(yMax/yStep) * yStep

	img := image.NewRGBA(image.Rect(0, 0, width, height))
	fillRect(img, 0, 0, width, height, white)

	charH := glyphH * textScale
	// The plot area: room for the title above, the y label and tick labels on the left, the
	// x tick labels and label below.
	yTickW := 0
	for v := 0.0; v <= yMax+yStep/2; v += yStep {
		yTickW = max(yTickW, textWidth(formatTick(v, yStep)))
	}
	plot := image.Rect(padding+charH+padding+yTickW+padding/2, padding+charH+padding*2, width-padding*2, height-(padding+charH)*2-padding)

	// Title, centred.
	drawText(img, (width-textWidth(c.Title))/2, padding, c.Title, black)

	// Y grid and ticks.
	for v := 0.0; v <= yMax+yStep/2; v += yStep {
		py := plot.Max.Y - int(math.Round(v/yMax*float64(plot.Dy())))
		hline(img, plot.Min.X, plot.Max.X, py, grid)
		label := formatTick(v, yStep)
		drawText(img, plot.Min.X-padding/2-textWidth(label), py-charH/2, label, black)
	}
	// X grid and ticks.
	for _, v := range xr.ticks() {
		px := plot.Min.X + int(math.Round(xr.fraction(v)*float64(plot.Dx())))
		vline(img, px, plot.Min.Y, plot.Max.Y, grid)
		label := strconv.FormatFloat(v, 'f', -1, 64)
		drawText(img, px-textWidth(label)/2, plot.Max.Y+padding/2, label, black)
	}
	// Axes and their labels.
	hline(img, plot.Min.X, plot.Max.X, plot.Max.Y, black)
	vline(img, plot.Min.X, plot.Min.Y, plot.Max.Y, black)
	drawText(img, plot.Min.X+(plot.Dx()-textWidth(c.XLabel))/2, plot.Max.Y+padding/2+charH+padding, c.XLabel, black)
	drawTextUp(img, padding, plot.Min.Y+(plot.Dy()+textWidth(c.YLabel))/2, c.YLabel, black)

	toPixel := func(p Point) image.Point {
		return image.Pt(
			plot.Min.X+int(math.Round(xr.fraction(p.X)*float64(plot.Dx()))),
			plot.Max.Y-int(math.Round(p.Y/yMax*float64(plot.Dy()))))
	}
	for _, s := range c.Series {
		for i := 1; i < len(s.Points); i++ {
			drawLine(img, toPixel(s.Points[i-1]), toPixel(s.Points[i]), s.Color, s.Dashed)
		}
		for _, p := range s.Points {
			drawMarker(img, toPixel(p), s.Color, s.Hollow)
		}
	}
	c.drawLegend(img, plot)
	return img, nil
}

// drawLegend lists the series in the top-left corner of the plot area, on white.
func (c Chart) drawLegend(img *image.RGBA, plot image.Rectangle) {
	const sample = 40 // length of the line sample
	charH := glyphH * textScale
	rowH := charH + padding/2
	w := 0
	for _, s := range c.Series {
		w = max(w, textWidth(s.Label))
	}
	box := image.Rect(plot.Min.X+padding, plot.Min.Y+padding/2, plot.Min.X+padding+sample+padding*2+w+padding/2, plot.Min.Y+padding/2+len(c.Series)*rowH+padding/2)
	fillRect(img, box.Min.X, box.Min.Y, box.Dx(), box.Dy(), white)
	hline(img, box.Min.X, box.Max.X, box.Min.Y, grey)
	hline(img, box.Min.X, box.Max.X, box.Max.Y, grey)
	vline(img, box.Min.X, box.Min.Y, box.Max.Y, grey)
	vline(img, box.Max.X, box.Min.Y, box.Max.Y, grey)
	for i, s := range c.Series {
		y := box.Min.Y + padding/2 + i*rowH
		mid := y + charH/2
		x0 := box.Min.X + padding/2
		drawLine(img, image.Pt(x0, mid), image.Pt(x0+sample, mid), s.Color, s.Dashed)
		drawMarker(img, image.Pt(x0+sample/2, mid), s.Color, s.Hollow)
		drawText(img, x0+sample+padding, y, s.Label, black)
	}
}

// xRange maps x values to [0, 1] across the plot.
type xRange struct {
	log      bool
	min, max float64 // in log10 units when log
}

func (r xRange) fraction(x float64) float64 {
	if r.log {
		x = math.Log10(x)
	}
	return (x - r.min) / (r.max - r.min)
}

func (r xRange) ticks() []float64 {
	var out []float64
	if r.log {
		for e := r.min; e <= r.max+1e-9; e++ {
			out = append(out, math.Pow(10, e))
		}
		return out
	}
	step := niceStep((r.max - r.min) / 5)
	for v := math.Ceil(r.min/step) * step; v <= r.max+step/1e6; v += step {
		out = append(out, v)
	}
	return out
}

// ranges checks the data and returns the x range and the largest y.
func (c Chart) ranges() (xRange, float64, error) {
	xs, yMax := []float64{}, 0.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			switch {
			case math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0):
				return xRange{}, 0, fmt.Errorf("series %q has a point that is not a number", s.Label)
			case p.Y < 0:
				return xRange{}, 0, fmt.Errorf("series %q has a negative value; the y axis starts at zero", s.Label)
			case c.LogX && p.X <= 0:
				return xRange{}, 0, fmt.Errorf("series %q has x = %v, which a logarithmic axis cannot show", s.Label, p.X)
			}
			xs = append(xs, p.X)
			yMax = max(yMax, p.Y)
		}
	}
	if len(xs) == 0 {
		return xRange{}, 0, errors.New("nothing to draw")
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	if yMax == 0 {
		yMax = 1
	}
	if c.LogX {
		r := xRange{log: true, min: math.Floor(math.Log10(lo)), max: math.Ceil(math.Log10(hi))}
		if r.max == r.min {
			r.max++
		}
		return r, yMax, nil
	}
	// A linear axis starts at zero, like the y axis, so that slopes read true.
	lo = min(lo, 0)
	if hi == lo {
		hi = lo + 1
	}
	return xRange{min: lo, max: hi}, yMax, nil
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// formatTick prints a tick value with as many decimals as its step needs.
func formatTick(v, step float64) string {
	decimals := 0
	if step < 1 {
		decimals = int(math.Ceil(-math.Log10(step) - 1e-9))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color) { fillRect(img, x0, y, x1-x0+1, 1, c) }
func vline(img *image.RGBA, x, y0, y1 int, c color.Color) { fillRect(img, x, y0, 1, y1-y0+1, c) }

// drawLine draws a thick line from a to b (Bresenham, with a square brush); dashed lines
// skip every other run of 10 steps.
func drawLine(img *image.RGBA, a, b image.Point, c color.Color, dashed bool) {
	dx, dy := abs(b.X-a.X), -abs(b.Y-a.Y)
	sx, sy := sign(b.X-a.X), sign(b.Y-a.Y)
	e := dx + dy
	x, y := a.X, a.Y
	for step := 0; ; step++ {
		if !dashed || (step/10)%2 == 0 {
			fillRect(img, x-lineWidth/2, y-lineWidth/2, lineWidth, lineWidth, c)
		}
		if x == b.X && y == b.Y {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x += sx
		}
		if e2 <= dx {
			e += dx
			y += sy
		}
	}
}

func drawMarker(img *image.RGBA, p image.Point, c color.Color, hollow bool) {
	x0, y0 := p.X-marker/2, p.Y-marker/2
	fillRect(img, x0, y0, marker, marker, c)
	if hollow {
		fillRect(img, x0+3, y0+3, marker-6, marker-6, white)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}
