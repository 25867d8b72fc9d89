package base

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// inputSample has every kind of field decodeInput supports.
type inputSample struct {
	Name  string            `json:"name"`
	Count int32             `json:"count"`
	Ratio float64           `json:"ratio,omitempty"`
	Flag  *bool             `json:"flag"`
	Tags  []string          `json:"tags"`
	Facts map[string]string `json:"facts"`
	Items []struct {
		Ref string `json:"ref"`
	} `json:"items"`
	Extra json.RawMessage `json:"extra"`
}

func TestDecodeInput(t *testing.T) {
	t.Run("a well-formed input decodes as encoding/json would", func(t *testing.T) {
		var got inputSample
		require.NoError(t, DecodeInput("sample", ` {"name":"a","count":-3,"ratio":0.5,"flag":true,"tags":["x"],
			"facts":{"k":"v"},"items":[{"ref":"r"}],"extra":{"any":[1,{"deep":null}]}} `, 1<<10, &got))
		require.Equal(t, "a", got.Name)
		require.EqualValues(t, -3, got.Count)
		require.True(t, *got.Flag)
		require.Equal(t, "r", got.Items[0].Ref)
		require.JSONEq(t, `{"any":[1,{"deep":null}]}`, string(got.Extra))
	})

	t.Run("null leaves a field at its zero value", func(t *testing.T) {
		var got inputSample
		require.NoError(t, DecodeInput("sample", `{"name":null,"flag":null,"tags":null}`, 1<<10, &got))
		require.Empty(t, got.Name)
		require.Nil(t, got.Flag)
	})

	t.Run("a list decodes element by element", func(t *testing.T) {
		var got []inputSample
		require.NoError(t, DecodeInput("list", `[{"name":"a"},{"name":"b"}]`, 1<<10, &got))
		require.Len(t, got, 2)
	})

	t.Run("every refusal is an invalid argument that names the field and the expected type", func(t *testing.T) {
		for input, want := range map[string]string{
			``:     `sample is required`,
			" \n ": `sample is required`,
			`{"name":"` + strings.Repeat("x", 1<<10) + `"}`: `sample is too large: 1035 bytes, at most 1024`,
			"{\"name\":\"\xff\"}":                           `sample is not valid utf-8`,
			`{"name":"a"`:                                   `sample is not valid json: it ends too early`,
			`{"name":"a",}`:                                 `sample is not valid json: invalid character '}' looking for beginning of object key string`,
			`{"name":"a"} {}`:                               `sample has data after its json value`,
			`{"name":"a"} x`:                                `sample has data after its json value`,
			`null`:                                          `sample must be an object, not json null`,
			`[]`:                                            `sample must be an object, not a json list`,
			`"a"`:                                           `sample must be an object, not a json string`,
			`{"Name":"a"}`:                                  `sample has unknown field "Name"`,
			`{"colour":"red"}`:                              `sample has unknown field "colour"`,
			`{"name":"a","name":"b"}`:                       `sample has field "name" twice`,
			`{"facts":{"k":"a","k":"b"}}`:                   `sample.facts has field "k" twice`,
			`{"items":[{"ref":"r"},{"reff":"r"}]}`:          `sample.items[1] has unknown field "reff"`,
			`{"name":7}`:                                    `sample.name must be a string, not the number 7`,
			`{"count":"7"}`:                                 `sample.count must be an integer, not a json string`,
			`{"count":1.5}`:                                 `sample.count must be an integer, not the number 1.5`,
			`{"count":1e3}`:                                 `sample.count must be an integer, not the number 1e3`,
			`{"count":2147483648}`:                          `sample.count must be an integer, not the number 2147483648`,
			`{"ratio":"x"}`:                                 `sample.ratio must be a number, not a json string`,
			`{"flag":1}`:                                    `sample.flag must be true or false, not the number 1`,
			`{"tags":"x"}`:                                  `sample.tags must be a list, not a json string`,
			`{"tags":[true]}`:                               `sample.tags[0] must be a string, not a json boolean`,
			`{"facts":[]}`:                                  `sample.facts must be an object, not a json list`,
			`{"facts":{"k":{}}}`:                            `sample.facts.k must be a string, not a json object`,
			`{"extra":[1,}`:                                 `sample is not valid json: invalid character '}' looking for beginning of value`,
		} {
			t.Run(want, func(t *testing.T) {
				var got inputSample
				err := DecodeInput("sample", input, 1<<10, &got)
				require.ErrorIs(t, err, ErrInvalidArgument)
				require.Equal(t, "INVALID_ARGUMENT: "+want, err.Error())
			})
		}
	})

	t.Run("deep nesting is refused where the type ends, without descending", func(t *testing.T) {
		var got inputSample
		err := DecodeInput("sample", `{"name":`+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+`}`, 1<<20, &got)
		require.EqualError(t, err, "INVALID_ARGUMENT: sample.name must be a string, not a json list")
	})

	t.Run("long names and values are clipped in messages", func(t *testing.T) {
		var got inputSample
		err := DecodeInput("sample", `{"`+strings.Repeat("z", 500)+`":1}`, 1<<10, &got)
		require.ErrorIs(t, err, ErrInvalidArgument)
		require.Less(t, len(err.Error()), 200)
	})
}

func TestParsePageSize(t *testing.T) {
	for value, want := range map[string]int32{"": 20, "0": 20, "1": 1, "20": 20, "100": 100} {
		got, err := ParsePageSize(value)
		require.NoError(t, err, value)
		require.Equal(t, want, got, value)
	}
	for _, value := range []string{"-1", "101", "+5", " 5", "5 ", "1.5", "ten", "00", "0x10", "99999999999999999999"} {
		_, err := ParsePageSize(value)
		require.ErrorIs(t, err, ErrInvalidArgument, value)
	}
}

// FuzzDecodeInput checks that decodeInput refuses any input as
// INVALID_ARGUMENT without panicking, and that what it accepts decodes the
// same with encoding/json.
func FuzzDecodeInput(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","count":1,"flag":false,"tags":["x"],"facts":{"k":"v"},"items":[{"ref":"r"}],"extra":[{}]}`,
		`{"name":"a","NAME":"b"}`, `{"count":1e2}`, `{"facts":{"a":"1","a":"2"}}`, `[{"name":"a"}]`, `null`, `{"extra":`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		var got inputSample
		err := DecodeInput("sample", input, 1<<12, &got)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidArgument)
			return
		}
		var want inputSample
		dec := json.NewDecoder(strings.NewReader(input))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&want))
		require.Equal(t, want, got)
	})
}
