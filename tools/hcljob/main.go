// Command hcljob reads a Nomad jobspec the way Nomad's jobspec2 package does,
// with HashiCorp's HCL (hclsyntax, dynblock, typeexpr, tryfunc) and go-cty,
// and prints the decoded job as JSON for the offline checks (tests/nomad_jobspec.py).
//
// Usage: hcljob -schema SCHEMA.json [-strict=false] [-var NAME=VALUE]... [-var-file FILE]...
//
//	[-var-content FILE] JOBFILE
//
// It follows Nomad 1.9's jobspec2 (source-available, read for behaviour only):
// variables and their validations (types.variables.go), locals evaluated until
// they settle (types.config.go evaluateLocalVariables), references to runtime
// values such as ${node.datacenter} kept as text (types.config.go EvalContext,
// UnknownVariable), dynamic blocks (dynblock.Expand), and every block decoded
// against the schema of Nomad's api structs (SCHEMA.json), so an unknown
// argument or block gets HCL's own "Unsupported argument" diagnostic.
// `-strict=false` and `-var-content` read a job as the /v1/jobs/parse endpoint
// does (command/agent/job_endpoint.go JobsParseRequest): ParseConfig.Strict
// unset, so an undeclared variable is a warning, and the request's Variables
// as VarContent, named input.hcl (parse.go decode).
// The output is {"diagnostics": [...], "error": TEXT, "job": BLOCK, "crons": {spec: error}}
// where TEXT is the error jobspec2's decode would return ("" for none) and BLOCK is
// {"type", "labels", "line", "attrs": {name: {"line", "value"}}, "blocks"}; arguments
// are converted to their schema type, durations to nanoseconds as the API carries them.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/gorhill/cronexpr"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// kind is one block type of the schema: its labels, arguments and nested blocks.
type kind struct {
	Source string            `json:"source"`
	Labels []string          `json:"labels"`
	Attrs  map[string]string `json:"attrs"`
	// Required arguments (gohcl: a tag without ",optional").
	Required []string `json:"required"`
	// Blocks maps a nested block type to its kind; Single lists those allowed once.
	Blocks map[string]string `json:"blocks"`
	Single []string          `json:"single"`
	// AttrOrBlock: meta and env may be written `meta = {...}` or `meta {...}`.
	AttrOrBlock []string `json:"attr_or_block"`
	// Free: any argument and block (a driver's config, free-form maps), not checked.
	Free bool `json:"free"`
	// Values is the type of every argument of a free-form map (meta, env).
	Values string `json:"values"`
}

type schema struct {
	Kinds map[string]*kind `json:"kinds"`
}

type attrOut struct {
	Line  int         `json:"line"`
	Value interface{} `json:"value"`
}

type blockOut struct {
	Type   string              `json:"type"`
	Labels []string            `json:"labels"`
	Line   int                 `json:"line"`
	Attrs  map[string]*attrOut `json:"attrs"`
	Blocks []*blockOut         `json:"blocks"`
}

type diagOut struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Summary string `json:"summary"`
	Detail  string `json:"detail"`
	Warning bool   `json:"warning,omitempty"`
}

type variable struct {
	name        string
	typ         cty.Type
	value       cty.Value
	set         bool
	from        string
	expr        hcl.Expression
	validations []*hcl.Block
	rng         hcl.Range
}

type reader struct {
	schema    *schema
	diags     hcl.Diagnostics
	vars      map[string]*variable
	locals    map[string]cty.Value
	syntax    map[int]*hclsyntax.Block // the source block at each byte offset, for free-form bodies
	crons     map[string]string
	jobFile   string
	unknownAs map[string]cty.Value
	// strict is ParseConfig.Strict: an undeclared variable is an error, not a warning.
	strict bool
	// failure is the error decode returns before decoding (parse.go): a var file
	// or the var content that does not parse, or the job file's syntax errors.
	failure string
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var argVars, varFiles multiFlag
	schemaPath := flag.String("schema", "", "the jobspec schema (JSON)")
	flag.Var(&argVars, "var", "NAME=VALUE, as `nomad job run -var`")
	flag.Var(&varFiles, "var-file", "a file of variable values, as `nomad job run -var-file`")
	varContent := flag.String("var-content", "", "a file holding the Variables of a /v1/jobs/parse request")
	strict := flag.Bool("strict", true, "an undeclared variable is an error (`nomad job run`), not a warning (/v1/jobs/parse)")
	flag.Parse()
	if flag.NArg() != 1 || *schemaPath == "" {
		fmt.Fprintln(os.Stderr, "usage: hcljob -schema SCHEMA.json [-strict=false] [-var NAME=VALUE]... [-var-file FILE]... [-var-content FILE] JOBFILE")
		os.Exit(2)
	}
	raw, err := os.ReadFile(*schemaPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hcljob:", err)
		os.Exit(2)
	}
	r := &reader{schema: &schema{}, vars: map[string]*variable{}, locals: map[string]cty.Value{},
		syntax: map[int]*hclsyntax.Block{}, crons: map[string]string{}, jobFile: flag.Arg(0), strict: *strict}
	if err := json.Unmarshal(raw, r.schema); err != nil {
		fmt.Fprintln(os.Stderr, "hcljob: schema:", err)
		os.Exit(2)
	}
	job := r.read(flag.Arg(0), argVars, varFiles, *varContent)
	out := map[string]interface{}{"diagnostics": r.diagnostics(), "error": r.decodeError(), "job": job, "crons": r.crons}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "hcljob:", err)
		os.Exit(2)
	}
}

func (r *reader) diagnostics() []diagOut {
	found := []diagOut{}
	for _, d := range r.diags {
		rng := d.Subject
		if rng == nil {
			rng = d.Context
		}
		file, line := r.jobFile, 1
		if rng != nil {
			file, line = rng.Filename, rng.Start.Line
		}
		found = append(found, diagOut{File: file, Line: line, Summary: d.Summary, Detail: d.Detail,
			Warning: d.Severity == hcl.DiagWarning})
	}
	return found
}

// read parses the job file and its variable values, then decodes the job block.
func (r *reader) read(path string, argVars, varFiles []string, varContent string) *blockOut {
	src, err := os.ReadFile(path)
	if err != nil {
		r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Failed to read file", Detail: err.Error()})
		r.failure = r.diags.Error()
		return nil
	}
	file, fileDiags := hclsyntax.ParseConfig(src, path, hcl.Pos{Line: 1, Column: 1})
	r.diags = append(r.diags, fileDiags...)
	var parsedVarFiles []*hcl.File
	for _, name := range varFiles {
		vsrc, err := os.ReadFile(name)
		var vdiags hcl.Diagnostics
		if err != nil {
			vdiags = hcl.Diagnostics{&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Failed to read file",
				Detail: fmt.Sprintf("failed to read %q: %v", name, err)}}
		} else {
			var vf *hcl.File
			vf, vdiags = hclsyntax.ParseConfig(vsrc, name, hcl.Pos{Line: 1, Column: 1})
			parsedVarFiles = append(parsedVarFiles, vf)
		}
		r.diags = append(r.diags, vdiags...)
		r.fail(vdiags, "unable to parse var file: ")
	}
	if varContent != "" {
		// The request's Variables, named as the job is (parse.go decode, VarContent).
		vsrc, err := os.ReadFile(varContent)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hcljob:", err)
			os.Exit(2)
		}
		if len(vsrc) != 0 {
			vf, vdiags := hclsyntax.ParseConfig(vsrc, "input.hcl", hcl.Pos{Line: 1, Column: 1})
			r.diags = append(r.diags, vdiags...)
			r.fail(vdiags, "unable to parse var content: ")
			parsedVarFiles = append(parsedVarFiles, vf)
		}
	}
	r.fail(fileDiags, "")
	// parse.go decode: invalid files are not decoded.
	if r.diags.HasErrors() {
		return nil
	}
	hclsyntax.VisitAll(file.Body.(*hclsyntax.Body), func(node hclsyntax.Node) hcl.Diagnostics {
		if b, ok := node.(*hclsyntax.Block); ok {
			r.syntax[b.TypeRange.Start.Byte] = b
		}
		return nil
	})
	content, diags := file.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "variables"}, {Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"}, {Type: "job", LabelNames: []string{"name"}},
	}})
	r.diags = append(r.diags, diags...)
	if diags.HasErrors() {
		return nil
	}
	r.declareVariables(content)
	localExprs := r.localExpressions(content)
	r.assignVariables(parsedVarFiles, argVars)
	r.validateVariables()
	r.collectUnknowns(file.Body.(*hclsyntax.Body))
	r.evaluateLocals(localExprs)
	return r.decodeJob(content)
}

// fail records the first error decode returns before decoding (parse.go): a var
// file's or the var content's, prefixed, then the job file's syntax errors.
func (r *reader) fail(diags hcl.Diagnostics, prefix string) {
	if r.failure == "" && diags.HasErrors() {
		r.failure = prefix + diags.Error()
	}
}

// decodeError is the error jobspec2's decode returns: the first failure before
// decoding, else every diagnostic of decoding, one a line, when one is an error.
func (r *reader) decodeError() string {
	if r.failure != "" || !r.diags.HasErrors() {
		return r.failure
	}
	lines := make([]string, len(r.diags))
	for i, d := range r.diags {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// undefinedSeverity follows collectInputVariableValues: undeclared names are
// errors only when ParseConfig.Strict is set (the CLI sets it, the HTTP API does not).
func (r *reader) undefinedSeverity() hcl.DiagnosticSeverity {
	if r.strict {
		return hcl.DiagError
	}
	return hcl.DiagWarning
}

// declareVariables follows types.variables.go decodeVariableBlock and decodeVariable.
func (r *reader) declareVariables(content *hcl.BodyContent) {
	for _, block := range content.Blocks {
		switch block.Type {
		case "variable":
			r.declareVariable(block)
		case "variables":
			attrs, diags := block.Body.JustAttributes()
			r.diags = append(r.diags, diags...)
			for _, name := range sortedAttrNames(attrs) {
				attr := attrs[name]
				if _, found := r.vars[name]; found {
					r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate variable",
						Detail: "Duplicate " + name + " variable definition found.", Subject: attr.NameRange.Ptr()})
					continue
				}
				value, diags := attr.Expr.Value(nil)
				r.diags = append(r.diags, diags...)
				r.vars[name] = &variable{name: name, typ: value.Type(), value: value, set: !diags.HasErrors(),
					from: "default", expr: attr.Expr, rng: attr.Range}
			}
		}
	}
}

func (r *reader) declareVariable(block *hcl.Block) {
	name := block.Labels[0]
	if _, found := r.vars[name]; found {
		r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate variable",
			Detail: "Duplicate " + name + " variable definition found.", Subject: block.DefRange.Ptr()})
		return
	}
	content, diags := block.Body.Content(&hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "description"}, {Name: "default"}, {Name: "type"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
	})
	r.diags = append(r.diags, diags...)
	if !hclsyntax.ValidIdentifier(name) {
		r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid variable name",
			Detail:  "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.",
			Subject: &block.LabelRanges[0]})
	}
	v := &variable{name: name, typ: cty.NilType, rng: block.DefRange}
	if t, ok := content.Attributes["type"]; ok {
		typ, diags := typeexpr.Type(t.Expr)
		r.diags = append(r.diags, diags...)
		if diags.HasErrors() {
			return
		}
		v.typ = typ
	}
	if def, ok := content.Attributes["default"]; ok {
		value, diags := def.Expr.Value(nil)
		r.diags = append(r.diags, diags...)
		if diags.HasErrors() {
			return
		}
		if v.typ != cty.NilType {
			converted, err := convert.Convert(value, v.typ)
			if err != nil {
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
					Summary: "Invalid default value for variable",
					Detail:  fmt.Sprintf("This default value is not compatible with the variable's type constraint: %s.", err),
					Subject: def.Expr.Range().Ptr()})
				converted = cty.DynamicVal
			}
			value = converted
		}
		v.value, v.set, v.from, v.expr = value, true, "default", def.Expr
		if v.typ == cty.NilType {
			v.typ = value.Type()
		}
	}
	for _, b := range content.Blocks {
		r.checkValidationBlock(name, b)
		v.validations = append(v.validations, b)
	}
	r.vars[name] = v
}

// checkValidationBlock follows decodeVariableValidationBlock: a condition on the variable itself, a sentence.
func (r *reader) checkValidationBlock(name string, block *hcl.Block) {
	content, diags := block.Body.Content(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "error_message", Required: true}}})
	r.diags = append(r.diags, diags...)
	if attr, ok := content.Attributes["condition"]; ok {
		good := 0
		for _, traversal := range attr.Expr.Variables() {
			if traversal.RootName() == "var" && len(traversal) > 1 {
				if step, ok := traversal[1].(hcl.TraverseAttr); ok && step.Name == name {
					good++
					continue
				}
			}
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
				Summary: "Invalid reference in variable validation",
				Detail:  fmt.Sprintf("The condition for variable %q can only refer to the variable itself, using var.%s.", name, name),
				Subject: traversal.SourceRange().Ptr()})
		}
		if good < 1 {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
				Summary: "Invalid variable validation condition",
				Detail:  fmt.Sprintf("The condition for variable %q must refer to var.%s in order to test incoming values.", name, name),
				Subject: attr.Expr.Range().Ptr()})
		}
	}
	if attr, ok := content.Attributes["error_message"]; ok {
		value, diags := attr.Expr.Value(nil)
		r.diags = append(r.diags, diags...)
		if !diags.HasErrors() && value.Type() == cty.String && value.IsKnown() && !value.IsNull() {
			message := value.AsString()
			if message == "" || !looksLikeSentences(message) {
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
					Summary: "Invalid validation error message",
					Detail:  "Validation error message must be at least one full sentence starting with an uppercase letter ( if the alphabet permits it ) and ending with a period or question mark.",
					Subject: attr.Expr.Range().Ptr()})
			}
		}
	}
}

func looksLikeSentences(s string) bool {
	runes := []rune(s)
	if len(runes) == 0 {
		return false
	}
	if unicode.IsLetter(runes[0]) && !unicode.IsUpper(runes[0]) {
		return false
	}
	last := runes[len(runes)-1]
	return last == '.' || last == '?' || last == '!'
}

// assignVariables follows collectInputVariableValues, strict as `nomad job run`:
// var-files, then -var; an undeclared name is an error.
func (r *reader) assignVariables(files []*hcl.File, argVars []string) {
	for _, file := range files {
		content, _, _ := file.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
			{Type: "variable", LabelNames: []string{"name"}}}})
		declared := false
		for _, block := range content.Blocks {
			declared = true
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
				Summary: "Variable declaration in a .var file",
				Detail:  fmt.Sprintf("A .var file is used to assign values to variables that have already been declared in job files, not to declare new variables. To declare variable %q, place this block in one of your job files", block.Labels[0]),
				Subject: &block.TypeRange})
		}
		if declared {
			return
		}
		attrs, diags := file.Body.JustAttributes()
		r.diags = append(r.diags, diags...)
		for _, name := range sortedAttrNames(attrs) {
			attr := attrs[name]
			v, found := r.vars[name]
			if !found {
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: r.undefinedSeverity(), Summary: "Undefined variable",
					Detail:  fmt.Sprintf("A %q variable was set but was not found in known variables. To declare variable %q, place this block in your job files", name, name),
					Context: attr.Range.Ptr()})
				continue
			}
			value, diags := attr.Expr.Value(nil)
			r.diags = append(r.diags, diags...)
			r.setVariable(v, value, "varfile", attr.Expr, "Invalid value for variable",
				"The value for %s is not compatible with the variable's type constraint: %s.")
		}
	}
	for _, pair := range argVars {
		parts := strings.SplitN(pair, "=", 2)
		if len(parts) != 2 {
			continue
		}
		name, raw := parts[0], parts[1]
		v, found := r.vars[name]
		if !found {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: r.undefinedSeverity(), Summary: "Undefined -var variable",
				Detail: fmt.Sprintf("A %q variable was passed in the command line but was not found in known variables. To declare variable %q, place this block in your job file", name, name)})
			continue
		}
		var expr hcl.Expression
		switch v.typ {
		case cty.String, cty.Number, cty.NilType:
			expr = &hclsyntax.LiteralValueExpr{Val: cty.StringVal(raw)}
		default:
			parsed, diags := hclsyntax.ParseExpression([]byte(raw), fmt.Sprintf("<value for var.%s from arguments>", name), hcl.Pos{Line: 1, Column: 1})
			r.diags = append(r.diags, diags...)
			if diags.HasErrors() {
				continue
			}
			expr = parsed
		}
		value, diags := expr.Value(nil)
		r.diags = append(r.diags, diags...)
		r.setVariable(v, value, "cmd", expr, "Invalid argument value for -var variable",
			"The received arg value for %s is not compatible with the variable's type constraint: %s.")
	}
}

func (r *reader) setVariable(v *variable, value cty.Value, from string, expr hcl.Expression, summary, detail string) {
	if v.typ != cty.NilType {
		converted, err := convert.Convert(value, v.typ)
		if err != nil {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary,
				Detail: fmt.Sprintf(detail, v.name, err), Subject: expr.Range().Ptr()})
			converted = cty.DynamicVal
		}
		value = converted
	}
	v.value, v.set, v.from, v.expr = value, true, from, expr
}

// validateVariables follows Variable.Value and validateValue: every variable set, every rule true.
func (r *reader) validateVariables() {
	for _, name := range r.variableNames() {
		v := r.vars[name]
		if !v.set {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Unset variable %q", name),
				Detail:  "A used variable must be set or have a default value; see https://www.nomadproject.io/docs/job-specification/hcl2/variables for details.",
				Context: v.rng.Ptr()})
			continue
		}
		ctx := &hcl.EvalContext{Functions: functions(), Variables: map[string]cty.Value{
			"var": cty.ObjectVal(map[string]cty.Value{name: v.value})}}
		for _, block := range v.validations {
			attrs, _ := block.Body.JustAttributes()
			condition, ok := attrs["condition"]
			if !ok {
				continue
			}
			result, diags := condition.Expr.Value(ctx)
			r.diags = append(r.diags, diags...)
			if diags.HasErrors() || !result.IsKnown() {
				continue
			}
			if result.IsNull() {
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid variable validation result",
					Detail: "Validation condition expression must return either true or false, not null.", Subject: condition.Expr.Range().Ptr()})
				continue
			}
			result, err := convert.Convert(result, cty.Bool)
			if err != nil {
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid variable validation result",
					Detail: fmt.Sprintf("Invalid validation condition result value: %s.", err), Subject: condition.Expr.Range().Ptr()})
				continue
			}
			if result.False() {
				message := ""
				if m, ok := attrs["error_message"]; ok {
					if mv, d := m.Expr.Value(nil); !d.HasErrors() && mv.Type() == cty.String {
						message = mv.AsString()
					}
				}
				subject := block.DefRange.Ptr()
				// A -var value has no place in a file: the rule's block stands for it.
				if v.expr != nil && v.expr.Range().Filename != "" {
					subject = v.expr.Range().Ptr()
				}
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
					Summary: fmt.Sprintf("Invalid value for %s variable", v.from),
					Detail:  fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.", message, block.DefRange.String()),
					Subject: subject})
			}
		}
	}
}

func (r *reader) variableNames() []string {
	names := make([]string, 0, len(r.vars))
	for name := range r.vars {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

type localExpr struct {
	name string
	expr hcl.Expression
}

func (r *reader) localExpressions(content *hcl.BodyContent) []localExpr {
	var found []localExpr
	seen := map[string]bool{}
	for _, block := range content.Blocks {
		if block.Type != "locals" {
			continue
		}
		attrs, diags := block.Body.JustAttributes()
		r.diags = append(r.diags, diags...)
		for _, name := range sortedAttrNames(attrs) {
			attr := attrs[name]
			if seen[name] {
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate value in locals",
					Detail: "Duplicate " + name + " definition found.", Subject: attr.NameRange.Ptr(), Context: block.DefRange.Ptr()})
				continue
			}
			seen[name] = true
			found = append(found, localExpr{name, attr.Expr})
		}
	}
	return found
}

// evaluateLocals follows evaluateLocalVariables: a local that fails is retried
// after the others, so locals may refer to each other in any order.
func (r *reader) evaluateLocals(locals []localExpr) {
	for len(locals) > 0 {
		progress := false
		var failed []localExpr
		var lastDiags hcl.Diagnostics
		for _, local := range locals {
			value, diags := local.expr.Value(r.evalContext())
			if diags.HasErrors() {
				failed = append(failed, local)
				lastDiags = append(lastDiags, diags...)
				continue
			}
			r.locals[local.name] = value
			progress = true
		}
		if !progress {
			r.diags = append(r.diags, lastDiags...)
			return
		}
		locals = failed
	}
}

// collectUnknowns stands in for the UnknownVariable hook of Nomad's HCL fork:
// a reference to anything but var and local (node.datacenter, NOMAD_ALLOC_DIR,
// a dynamic block's iterator outside it) evaluates to its own text, "${node.datacenter}".
func (r *reader) collectUnknowns(body *hclsyntax.Body) {
	tree := map[string]interface{}{}
	hclsyntax.VisitAll(body, func(node hclsyntax.Node) hcl.Diagnostics {
		expr, ok := node.(*hclsyntax.ScopeTraversalExpr)
		if !ok {
			return nil
		}
		root := expr.Traversal.RootName()
		if root == "var" || root == "local" {
			return nil
		}
		path := []string{root}
		for _, step := range expr.Traversal[1:] {
			switch s := step.(type) {
			case hcl.TraverseAttr:
				path = append(path, s.Name)
			case hcl.TraverseIndex:
				if s.Key.Type() == cty.String {
					path = append(path, s.Key.AsString())
				} else {
					return nil
				}
			default:
				return nil
			}
		}
		insertPath(tree, path)
		return nil
	})
	r.unknownAs = map[string]cty.Value{}
	for root, sub := range tree {
		r.unknownAs[root] = unknownValue(root, sub)
	}
}

func insertPath(tree map[string]interface{}, path []string) {
	node := tree
	for i, name := range path {
		child, ok := node[name].(map[string]interface{})
		if !ok {
			child = map[string]interface{}{}
			node[name] = child
		}
		if i == len(path)-1 {
			return
		}
		node = child
	}
}

func unknownValue(prefix string, sub interface{}) cty.Value {
	children, _ := sub.(map[string]interface{})
	if len(children) == 0 {
		return cty.StringVal("${" + prefix + "}")
	}
	attrs := map[string]cty.Value{}
	for name, child := range children {
		attrs[name] = unknownValue(prefix+"."+name, child)
	}
	return cty.ObjectVal(attrs)
}

func (r *reader) evalContext() *hcl.EvalContext {
	vars := map[string]cty.Value{}
	for name, v := range r.vars {
		if v.set {
			vars[name] = v.value
		} else {
			vars[name] = cty.UnknownVal(v.typ)
		}
	}
	variables := map[string]cty.Value{"var": cty.ObjectVal(vars), "local": cty.ObjectVal(r.locals)}
	for name, value := range r.unknownAs {
		variables[name] = value
	}
	return &hcl.EvalContext{Functions: functions(), Variables: variables}
}

// decodeJob follows decodeJob of types.config.go: one job block, dynamic blocks expanded.
func (r *reader) decodeJob(content *hcl.BodyContent) *blockOut {
	var found *hcl.Block
	var job *blockOut
	ctx := r.evalContext()
	for _, b := range content.Blocks {
		if b.Type != "job" {
			continue
		}
		if found != nil {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate job block",
				Detail:  fmt.Sprintf("Only one block of type %q is allowed. Previous definition was at %s.", b.Type, found.DefRange.String()),
				Subject: &b.DefRange})
			continue
		}
		found = b
		job = r.decodeBlock(b, dynblock.Expand(b.Body, ctx), "job", ctx)
	}
	if found == nil {
		r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing job block", Detail: "A job block is required"})
	}
	return job
}

// decodeBlock decodes a body against one kind of the schema, as gohcl.DecodeBody does for Nomad's api structs.
func (r *reader) decodeBlock(b *hcl.Block, body hcl.Body, kindName string, ctx *hcl.EvalContext) *blockOut {
	out := &blockOut{Type: b.Type, Labels: b.Labels, Line: b.DefRange.Start.Line, Attrs: map[string]*attrOut{}, Blocks: []*blockOut{}}
	if out.Labels == nil {
		out.Labels = []string{}
	}
	k := r.schema.Kinds[kindName]
	if k == nil || k.Free {
		r.decodeFree(b, out, ctx, k)
		return out
	}
	for _, name := range k.AttrOrBlock {
		// decodeAsAttribute (hcl_conversions.go): `meta = {...}` as well as `meta {...}`.
		content, remain, diags := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
		if diags.HasErrors() || content.Attributes[name] == nil {
			continue
		}
		attr := content.Attributes[name]
		blocks, _, _ := remain.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: name}}})
		if len(blocks.Blocks) != 0 {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Duplicate %v block", name),
				Detail:  fmt.Sprintf("%v may not be defined more than once. Another definition is defined at %s.", name, attr.Range.String()),
				Subject: &blocks.Blocks[0].DefRange})
		}
		out.Attrs[name] = r.attribute(attr, "map(string)", ctx)
		body = remain
	}
	bodySchema := &hcl.BodySchema{}
	required := map[string]bool{}
	for _, name := range k.Required {
		required[name] = true
	}
	for _, name := range sortedKeys(k.Attrs) {
		if _, done := out.Attrs[name]; done {
			continue
		}
		bodySchema.Attributes = append(bodySchema.Attributes, hcl.AttributeSchema{Name: name, Required: required[name]})
	}
	for _, name := range sortedKeys(k.Blocks) {
		if _, done := out.Attrs[name]; done {
			continue
		}
		child := r.schema.Kinds[k.Blocks[name]]
		var labels []string
		if child != nil {
			labels = child.Labels
		}
		bodySchema.Blocks = append(bodySchema.Blocks, hcl.BlockHeaderSchema{Type: name, LabelNames: labels})
	}
	content, diags := body.Content(bodySchema)
	r.diags = append(r.diags, diags...)
	for _, name := range sortedAttrNames(content.Attributes) {
		out.Attrs[name] = r.attribute(content.Attributes[name], k.Attrs[name], ctx)
	}
	seen := map[string]*hcl.Block{}
	for _, child := range content.Blocks {
		if prev, ok := seen[child.Type]; ok && contains(k.Single, child.Type) {
			// gohcl: a block decoded into one struct field may appear once.
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Duplicate %s block", child.Type),
				Detail:  fmt.Sprintf("Only one %s block is allowed. Another was defined at %s.", child.Type, prev.DefRange.String()),
				Subject: &child.DefRange})
			continue
		}
		seen[child.Type] = child
		out.Blocks = append(out.Blocks, r.decodeBlock(child, child.Body, k.Blocks[child.Type], ctx))
	}
	return out
}

// decodeFree reads a free-form block (a driver's config, meta, env) from its source.
func (r *reader) decodeFree(b *hcl.Block, out *blockOut, ctx *hcl.EvalContext, k *kind) {
	source := r.syntax[b.TypeRange.Start.Byte]
	if source == nil {
		return
	}
	valueType := ""
	if k != nil {
		valueType = k.Values
	}
	for _, name := range sortedSyntaxAttrs(source.Body.Attributes) {
		attr := source.Body.Attributes[name]
		out.Attrs[name] = r.attribute(attr.AsHCLAttribute(), valueType, ctx)
	}
	for _, child := range source.Body.Blocks {
		if k != nil && k.Values != "" {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unexpected \"" + child.Type + "\" block",
				Detail: "Blocks are not allowed here.", Subject: child.TypeRange.Ptr()})
			continue
		}
		nested := &blockOut{Type: child.Type, Labels: child.Labels, Line: child.TypeRange.Start.Line,
			Attrs: map[string]*attrOut{}, Blocks: []*blockOut{}}
		if nested.Labels == nil {
			nested.Labels = []string{}
		}
		r.decodeFree(child.AsHCLBlock(), nested, ctx, nil)
		out.Blocks = append(out.Blocks, nested)
	}
}

// attribute evaluates an argument and converts it to its type, as gohcl.DecodeExpression does.
func (r *reader) attribute(attr *hcl.Attribute, typeName string, ctx *hcl.EvalContext) *attrOut {
	out := &attrOut{Line: attr.NameRange.Start.Line}
	value, diags := attr.Expr.Value(ctx)
	r.diags = append(r.diags, diags...)
	if diags.HasErrors() || value.IsNull() {
		return out
	}
	if !value.IsWhollyKnown() {
		return out
	}
	switch typeName {
	case "", "any":
	case "duration":
		// decodeDuration (hcl_conversions.go): a Go duration string, or nanoseconds.
		if value.Type() == cty.String {
			d, err := time.ParseDuration(value.AsString())
			if err != nil {
				r.unsuitable(attr, "Unsuitable duration value: "+err.Error())
				return out
			}
			value = cty.NumberIntVal(int64(d))
		}
		if value.Type() != cty.Number {
			r.unsuitable(attr, fmt.Sprintf("Unsuitable value: expected a string but found %s", value.Type().FriendlyName()))
			return out
		}
	case "int":
		converted, err := convert.Convert(value, cty.Number)
		if err != nil {
			r.unsuitable(attr, "Unsuitable value: "+err.Error())
			return out
		}
		var n int64
		if err := gocty.FromCtyValue(converted, &n); err != nil {
			r.unsuitable(attr, "Unsuitable value: "+err.Error())
			return out
		}
		value = converted
	default:
		expr, _ := hclsyntax.ParseExpression([]byte(typeName), "schema", hcl.Pos{Line: 1, Column: 1})
		ty, tdiags := typeexpr.TypeConstraint(expr)
		if tdiags.HasErrors() {
			r.unsuitable(attr, "schema type "+typeName+" is not a type")
			return out
		}
		converted, err := convert.Convert(value, ty)
		if err != nil {
			r.unsuitable(attr, "Unsuitable value: "+err.Error())
			return out
		}
		value = converted
	}
	if r.isCron(attr) {
		r.checkCrons(value)
	}
	raw, err := ctyjson.SimpleJSONValue{Value: value}.MarshalJSON()
	if err != nil {
		return out
	}
	var decoded interface{}
	if err := json.Unmarshal(raw, &decoded); err == nil {
		out.Value = decoded
	}
	return out
}

func (r *reader) unsuitable(attr *hcl.Attribute, detail string) {
	r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsuitable value type",
		Detail: detail, Subject: attr.Expr.StartRange().Ptr(), Context: attr.Expr.Range().Ptr()})
}

// isCron tells the periodic block's cron and crons arguments, parsed as Nomad
// parses them (PeriodicConfig.Validate, cronexpr.Parse).
func (r *reader) isCron(attr *hcl.Attribute) bool {
	if attr.Name != "cron" && attr.Name != "crons" {
		return false
	}
	for start, block := range r.syntax {
		if block.Type == "periodic" && start < attr.Range.Start.Byte && attr.Range.End.Byte <= block.CloseBraceRange.Start.Byte {
			return true
		}
	}
	return false
}

func (r *reader) checkCrons(value cty.Value) {
	var specs []cty.Value
	if value.Type() == cty.String {
		specs = []cty.Value{value}
	} else if value.CanIterateElements() {
		specs = value.AsValueSlice()
	}
	for _, spec := range specs {
		if spec.Type() != cty.String || spec.IsNull() {
			continue
		}
		message := ""
		if _, err := cronexpr.Parse(spec.AsString()); err != nil {
			message = err.Error()
		}
		r.crons[spec.AsString()] = message
	}
}

// functions are those of jobspec2/functions.go that go-cty and HCL provide; the
// others (crypto, cidr, encoding, uuid, yaml, files) fail with a clear message.
func functions() map[string]function.Function {
	funcs := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "can": tryfunc.CanFunc, "ceil": stdlib.CeilFunc,
		"chomp": stdlib.ChompFunc, "chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc,
		"contains": stdlib.ContainsFunc, "convert": typeexpr.ConvertFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
		"floor": stdlib.FloorFunc, "format": stdlib.FormatFunc, "formatdate": stdlib.FormatDateFunc,
		"formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc, "index": stdlib.IndexFunc,
		"join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "log": stdlib.LogFunc, "lookup": stdlib.LookupFunc,
		"lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "range": stdlib.RangeFunc,
		"reverse": stdlib.ReverseFunc, "replace": stdlib.ReplaceFunc, "regex_replace": stdlib.RegexReplaceFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
		"setunion": stdlib.SetUnionFunc, "signum": stdlib.SignumFunc, "slice": stdlib.SliceFunc,
		"sort": stdlib.SortFunc, "split": stdlib.SplitFunc, "strlen": stdlib.StrlenFunc,
		"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc, "try": tryfunc.TryFunc,
		"upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
	}
	for _, name := range []string{"base64decode", "base64encode", "bcrypt", "cidrhost", "cidrnetmask",
		"cidrsubnet", "cidrsubnets", "md5", "rsadecrypt", "sha1", "sha256", "sha512", "urlencode",
		"uuidv4", "uuidv5", "yamldecode", "yamlencode", "abspath", "basename", "dirname", "file",
		"filebase64", "fileexists", "fileset", "pathexpand"} {
		funcs[name] = notModelled(name)
	}
	return funcs
}

func notModelled(name string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true},
		Type: func([]cty.Value) (cty.Type, error) {
			return cty.NilType, fmt.Errorf("%s() is a Nomad function the offline checks do not model (go-cty-funcs is not in Debian); `nomad job validate` in CI checks it", name)
		},
	})
}

func sortedAttrNames(attrs hcl.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte
	})
	return names
}

func sortedSyntaxAttrs(attrs hclsyntax.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		return attrs[names[i]].SrcRange.Start.Byte < attrs[names[j]].SrcRange.Start.Byte
	})
	return names
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, item string) bool {
	for _, x := range list {
		if x == item {
			return true
		}
	}
	return false
}
