package noopprovider

// Exported for tests only.
var (
	FixedCounts = fixedCounts
	FirstMonth  = firstMonth
)

const (
	LatestDate   = latestDate
	LatestCount  = latestCount
	AverageCount = averageCount
	MaxCount     = maxCount
)
