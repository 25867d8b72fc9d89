package portal

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

//go:embed web/templates/*.html
var templateFS embed.FS

//go:embed web/assets
var webFS embed.FS

// assets are the portal's own files (its style sheet), served at /assets/.
var assets = func() fs.FS {
	f, err := fs.Sub(webFS, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return f
}()

// pageNames are the templates in web/templates, each rendered inside
// layout.html.
var pageNames = []string{"home", "verify-file", "verify-hash", "verify-seal", "documents", "administrations", "audit", "acknowledge", "convocations", "subsidies", "permissions", "consulted", "error"}

// pages are the parsed templates: by language, each page with its fixed
// texts ({{.T "key"}}) written in (literalPages), and under "" each page
// as written, which translates at every execution.
type pages map[string]map[string]*template.Template

// page is template name for lang.
func (p pages) page(lang, name string) *template.Template {
	if t, ok := p[lang][name]; ok {
		return t
	}
	return p[""][name]
}

// literalMessages turns on the per-language templates (a test turns it
// off to compare their output with the templates as written).
var literalMessages = true

func parsePages() (pages, error) {
	p := pages{"": {}}
	layout, err := templateFS.ReadFile("web/templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("read layout template: %w", err)
	}
	for _, name := range pageNames {
		text, err := templateFS.ReadFile("web/templates/" + name + ".html")
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", name, err)
		}
		if p[""][name], err = parsePage(name, string(layout), string(text)); err != nil {
			return nil, err
		}
		if !literalMessages {
			continue
		}
		for _, lang := range Languages {
			if p[lang] == nil {
				p[lang] = map[string]*template.Template{}
			}
			v := view{Lang: lang}
			l, lerr := literalPage(v, string(layout))
			t, terr := literalPage(v, string(text))
			if err := errors.Join(lerr, terr); err != nil {
				return nil, fmt.Errorf("template %s in %s: %w", name, lang, err)
			}
			if p[lang][name], err = parsePage(name, l, t); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

func parsePage(name, layout, text string) (*template.Template, error) {
	t, err := template.New("layout.html").Parse(layout)
	if err == nil {
		t, err = t.New(name + ".html").Parse(text)
	}
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	return t, nil
}

// fixedText is a template action that translates a fixed key.
var fixedText = regexp.MustCompile(`\{\{\$?\.T "([^"{}]*)"\}\}`)

// literalPage writes the texts of fixedText's actions into a template, in
// v's language, escaped as html/template escapes them in HTML text or a
// quoted attribute, the only places they stand (a test compares every
// page with the template as written): each such action cost a method call
// through reflection and an escaper at every request.
func literalPage(v view, text string) (string, error) {
	var bad error
	out := fixedText.ReplaceAllStringFunc(text, func(action string) string {
		w := rowWriter{}
		w.text(v.T(fixedText.FindStringSubmatch(action)[1]))
		if strings.Contains(string(w.b), "{{") {
			bad = fmt.Errorf("the text of %s holds {{", action)
		}
		return string(w.b)
	})
	return out, bad
}

// view is what every template sees: the language, the page's own data and
// helpers to translate and to build links that keep an explicit language.
type view struct {
	Lang     string
	explicit bool
	Path     string
	Query    url.Values
	Title    string
	Data     any
	// Nav is the site's navigation, rendered once per language, link
	// style and current page (Server.nav).
	Nav template.HTML
}

// T is the text of key in the page language.
func (v view) T(key string) string {
	if m, ok := messages[v.Lang][key]; ok {
		return m
	}
	return key
}

// Tf formats the text of key with args.
func (v view) Tf(key string, args ...any) string { return fmt.Sprintf(v.T(key), args...) }

// Href is a link to path (with its query, if any), carrying ?lang= when
// the language was chosen explicitly (there is no cookie to remember it).
func (v view) Href(path string) string {
	if !v.explicit {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + v.Lang
}

// SwitchHref is the current page in the other language.
func (v view) SwitchHref() string {
	q := url.Values{}
	for k, vals := range v.Query {
		q[k] = vals
	}
	q.Set("lang", v.T("lang.other"))
	return v.Path + "?" + q.Encode()
}

// Current is "page" when path is the current page, for aria-current.
func (v view) Current(path string) string {
	if v.Path == path {
		return "page"
	}
	return ""
}

func (s *Server) view(r *http.Request, titleKey string, data any) view {
	lang, explicit := language(r, s.lang)
	return view{Lang: lang, explicit: explicit, Path: r.URL.Path, Query: r.URL.Query(), Title: titleKey, Data: data}
}

// navPaths are the pages the navigation links to: on any other page no
// link of it is the current one.
var navPaths = []string{"/", "/verify/file", "/verify", "/registers/documents", "/registers/convocations", "/registers/subsidies",
	"/registers/permissions", "/registers/administrations", "/consulted", "/audit"}

// nav is the navigation of v's page: the template "nav" of layout.html,
// executed once per language, link style and current page (it reads
// nothing else) rather than at every request, where its 30 translations
// and links cost as much as the rest of a page.
func (s *Server) nav(v view) (template.HTML, error) {
	current := ""
	if slices.Contains(navPaths, v.Path) {
		current = v.Path
	}
	key := fmt.Sprint(v.Lang, v.explicit, current)
	if n, ok := s.navs.Load(key); ok {
		return n.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := s.pages.page(v.Lang, "home").ExecuteTemplate(&buf, "nav", view{Lang: v.Lang, explicit: v.explicit, Path: current}); err != nil {
		return "", err
	}
	n := template.HTML(buf.String()) //nolint:gosec // the output of html/template
	s.navs.Store(key, n)
	return n, nil
}

// renderBuffers are the buffers pages are rendered into, kept for the next
// page unless larger than maxPooledBuffer: a free list, not a sync.Pool,
// which the collector empties every few pages under load.
var renderBuffers = make(chan *bytes.Buffer, 64)

const maxPooledBuffer = 256 << 10

func getBuffer() *bytes.Buffer {
	select {
	case b := <-renderBuffers:
		return b
	default:
		return bytes.NewBuffer(make([]byte, 0, 32<<10))
	}
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	select {
	case renderBuffers <- b:
	default:
	}
}

// render writes page name with status; a template error is logged and
// answered 500 before anything is sent.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) {
	buf := getBuffer()
	defer putBuffer(buf)
	v := s.view(r, titleKey, data)
	nav, err := s.nav(v)
	if err == nil {
		v.Nav = nav
		err = s.pages.page(v.Lang, name).ExecuteTemplate(buf, "layout", v)
	}
	if err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// errorPage answers an HTML request with a message.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.render(w, r, status, "error", "error.title", message)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "", nil)
	s.errorPage(w, r, http.StatusNotFound, v.T("error.notFound"))
}

// unavailable answers when the ledger or the index failed.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Warn(what, "err", err)
	v := s.view(r, "", nil)
	s.errorPage(w, r, http.StatusServiceUnavailable, v.T("error.unavailable"))
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) //nolint:errcheck // the client went away
}

// jsonError is the body of every JSON error.
type jsonError struct {
	Status string `json:"status,omitempty"`
	Error  string `json:"error"`
}

func (s *Server) jsonUnavailable(w http.ResponseWriter, what string, err error) {
	s.log.Warn(what, "err", err)
	writeJSON(w, http.StatusServiceUnavailable, jsonError{Error: "the ledger cannot be reached right now; try again in a moment"})
}
