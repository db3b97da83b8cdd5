package fakeisc

import "slices"

// Source is one ISC source as the Source Usages API sees it.
type Source struct {
	// ID is the source id, matched against the percent-decoded path segment.
	ID string
	// Status is returned verbatim by the status operation: COMPLETE, INCOMPLETE or any
	// other text (for example "PENDING", to test that clients pass it through). An empty
	// Status means the JSON object has no status field at all.
	Status string
	// Usages are the summaries rows in the order the API returns them unsorted.
	Usages []Usage
	// Forbidden makes every call for this source answer 403 with an ErrorResponseDto,
	// as the real API does when the caller may not see the source.
	Forbidden bool
}

// clone returns a deep copy, so that a caller changing its Source after PutSource does
// not race with requests reading it.
func (s Source) clone() Source {
	if s.Usages != nil {
		usages := slices.Clone(s.Usages)
		for i := range usages {
			usages[i] = usages[i].clone()
		}
		s.Usages = usages
	}
	return s
}
