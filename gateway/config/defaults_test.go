package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// setting is one leaf of Config: its key path and where it lies.
type setting struct {
	key   string
	index []int
}

// settings lists Config's leaves by their mapstructure tags, as a file or
// the environment names them; lists (peers) are left out.
func settings(t reflect.Type, prefix string, index []int) []setting {
	var out []setting
	for i := range t.NumField() {
		f := t.Field(i)
		key := f.Tag.Get("mapstructure")
		if prefix != "" {
			key = prefix + "." + key
		}
		at := append(append([]int{}, index...), i)
		switch f.Type.Kind() {
		case reflect.Struct:
			out = append(out, settings(f.Type, key, at)...)
		case reflect.Slice:
		default:
			out = append(out, setting{key: key, index: at})
		}
	}
	return out
}

func TestEveryDefaultReachesViper(t *testing.T) {
	all := settings(reflect.TypeOf(Config{}), "", nil)
	require.Greater(t, len(all), 15, "Config's settings were not found")
	for _, s := range all {
		env := EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(s.key, ".", "_"))
		t.Run(s.key+" keeps its default and is overridden by "+env, func(t *testing.T) {
			clearEnv(t)
			c, err := read(nil)
			require.NoError(t, err)
			require.Equal(t, reflect.ValueOf(Default()).FieldByIndex(s.index).Interface(),
				reflect.ValueOf(c).FieldByIndex(s.index).Interface(), "default of %s", s.key)

			field := reflect.ValueOf(&c).Elem().FieldByIndex(s.index)
			var text string
			var want any
			switch {
			case field.Type() == reflect.TypeOf(time.Duration(0)):
				text, want = "42s", 42*time.Second
			case field.Kind() == reflect.Int:
				text, want = "7", 7
			case field.Kind() == reflect.String:
				text, want = "from-"+env, "from-"+env
			default:
				t.Fatalf("the test does not know how to set a %s", field.Type())
			}
			t.Setenv(env, text)
			c, err = read(nil)
			require.NoError(t, err)
			require.Equal(t, want, reflect.ValueOf(c).FieldByIndex(s.index).Interface(), "%s=%s", env, text)
		})
	}
}
