package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Page is one browser tab. Its methods each take at most the browser's
// action timeout, and record the page's JavaScript errors for Errors.
type Page struct {
	b      *Browser
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	errors   []string
	requests []Request
}

// Request is one HTTP request the page made, as the browser sent it.
type Request struct {
	Method string
	URL    string
	Body   string // the request body, when the browser reports one
}

// NewPage opens a new tab.
func (b *Browser) NewPage() (*Page, error) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	p := &Page{b: b, ctx: ctx, cancel: cancel}
	timer := time.AfterFunc(b.timeout, cancel)
	err := chromedp.Listen(ctx, p.record)
	if !timer.Stop() && err == nil {
		err = context.DeadlineExceeded
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: %w", err)
	}
	return p, nil
}

// Close closes the tab.
func (p *Page) Close() { p.cancel() }

// record keeps uncaught exceptions, console and log errors, and requests.
func (p *Page) record(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r := Request{Method: ev.Request.Method, URL: ev.Request.URL}
		for _, e := range ev.Request.PostDataEntries {
			r.Body += string(e.Bytes)
		}
		p.mu.Lock()
		p.requests = append(p.requests, r)
		p.mu.Unlock()
		return
	case *cdplog.EventEntryAdded:
		// HTTP error statuses are the server's answer, which tests check
		// themselves; everything else logged as an error is kept.
		if ev.Entry.Level != cdplog.EntryLevelError || ev.Entry.Source == cdplog.EntrySourceNetwork {
			return
		}
		msg = fmt.Sprintf("%s: %s", ev.Entry.Source, ev.Entry.Text)
	case *runtime.EventExceptionThrown:
		msg = ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil && ev.ExceptionDetails.Exception.Description != "" {
			msg = ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
		}
		msg = "console.error: " + strings.Join(parts, " ")
	default:
		return
	}
	p.mu.Lock()
	p.errors = append(p.errors, msg)
	p.mu.Unlock()
}

// Errors returns the uncaught exceptions and console errors seen so far (a
// Content-Security-Policy violation shows up here too).
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// Requests returns the HTTP requests the page has made so far.
func (p *Page) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.requests...)
}

// contextWithTimeout bounds one action on the page.
func contextWithTimeout(p *Page) (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, p.b.timeout)
}

// do runs actions with the page's timeout.
func (p *Page) do(what string, actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := contextWithTimeout(p)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// eval evaluates a JavaScript expression and decodes its JSON value into T.
func eval[T any](p *Page, what, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	ctx, cancel := contextWithTimeout(p)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		return v, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// Open navigates to url and waits for its load event.
func (p *Page) Open(url string) error {
	return p.do("open "+url, chromedp.Navigate(url))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// WaitFor waits until an element matches the CSS selector.
func (p *Page) WaitFor(selector string) error {
	return p.poll("wait for "+selector, fmt.Sprintf("document.querySelector(%s) !== null", jsString(selector)))
}

// WaitAttr waits until the first element matching selector has attribute
// attr, and returns its value.
func (p *Page) WaitAttr(selector, attr string) (string, error) {
	expr := fmt.Sprintf("document.querySelector(%s)?.getAttribute(%s)", jsString(selector), jsString(attr))
	if err := p.poll(fmt.Sprintf("wait for %s[%s]", selector, attr), expr+" != null"); err != nil {
		return "", err
	}
	return eval[string](p, "read "+attr, expr)
}

// WaitLocation waits until the page's URL satisfies the JavaScript predicate
// over `location` (e.g. `location.pathname === "/verify/hash"`), and returns
// the URL. It survives the navigation it waits for: a check that meets a
// page being replaced is simply tried again.
func (p *Page) WaitLocation(predicate string) (string, error) {
	deadline := time.Now().Add(p.b.timeout)
	expr := fmt.Sprintf("(%s) ? location.href : ''", predicate)
	var last error
	for time.Now().Before(deadline) {
		href, err := eval[string](p, "read location", expr)
		if err == nil && href != "" {
			return href, nil
		}
		last = err
		select {
		case <-p.ctx.Done():
			return "", fmt.Errorf("wait for location %s: %w", predicate, p.ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("wait for location %s: timed out after %s (last error: %v)", predicate, p.b.timeout, last)
}

// poll waits, within the page timeout, until a JavaScript predicate is truthy.
func (p *Page) poll(what, predicate string) error {
	ctx, cancel := contextWithTimeout(p)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(p.b.timeout))); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Text returns the text content of the first element matching selector.
func (p *Page) Text(selector string) (string, error) {
	return eval[string](p, "text of "+selector, fmt.Sprintf("document.querySelector(%s).textContent", jsString(selector)))
}

// Attr returns an attribute of the first element matching selector, and
// whether it is present.
func (p *Page) Attr(selector, attr string) (string, bool, error) {
	v, err := eval[*string](p, fmt.Sprintf("attribute %s of %s", attr, selector),
		fmt.Sprintf("document.querySelector(%s).getAttribute(%s)", jsString(selector), jsString(attr)))
	if err != nil || v == nil {
		return "", false, err
	}
	return *v, true, nil
}

// Element is what AllAttrs reads from each matching element.
type Element struct {
	Text  string            `json:"text"`
	Attrs map[string]string `json:"attrs"`
}

// All returns the text and attributes of every element matching selector.
func (p *Page) All(selector string) ([]Element, error) {
	expr := fmt.Sprintf(`Array.from(document.querySelectorAll(%s), (e) => ({
		text: e.textContent,
		attrs: Object.fromEntries(Array.from(e.attributes, (a) => [a.name, a.value])),
	}))`, jsString(selector))
	return eval[[]Element](p, "elements "+selector, expr)
}

// SetFile chooses a file on the file input matching selector, as a person
// picking it would (the input's change event fires).
func (p *Page) SetFile(selector, path string) error {
	return p.do("set file on "+selector, chromedp.SetUploadFiles(chromedp.CSS(selector), []string{path}))
}

// Run evaluates a JavaScript expression for its effect (e.g. to dispatch an
// event a person's gesture would cause).
func (p *Page) Run(expr string) error {
	_, err := eval[chromedp.Void](p, "run script", expr)
	return err
}
