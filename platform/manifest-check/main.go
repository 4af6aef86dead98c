// manifest-check validates Knative Service manifests as a cluster would admit them, without a cluster:
//
//   - strictly decoded into knative.dev/serving's v1.Service (an unknown or misspelled field is an error; kn and
//     kubectl's lenient decoders would drop it silently),
//   - defaulted and validated by Knative Serving's own SetDefaults and Validate, as its admission webhook does on a
//     create (its errors refuse the create; its warnings are failures here too), with the cluster's config-defaults, config-features and config-autoscaler (Knative's defaults unless
//     -config names a folder of those ConfigMaps),
//   - every dapr.io/* annotation of the revision template checked against the Dapr sidecar injector's own list (the
//     annotation-tagged fields of its SidecarConfig, in the pinned Dapr's pkg/injector/patcher/sidecar.go given by
//     -dapr-injector), and its value against that field's type; the injector itself ignores a value it cannot parse.
//
// Usage: manifest-check -dapr-injector FILE [-config DIR] MANIFEST...   Exit status 1 when any manifest fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"knative.dev/pkg/apis"
	"knative.dev/serving/pkg/apis/config"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
	autoscalerconfig "knative.dev/serving/pkg/autoscaler/config"
	"sigs.k8s.io/yaml"
)

func main() {
	injector := flag.String("dapr-injector", "", "pkg/injector/patcher/sidecar.go of the pinned Dapr")
	configDir := flag.String("config", "", "a folder with the cluster's config-defaults/-features/-autoscaler ConfigMaps")
	flag.Parse()
	if *injector == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: manifest-check -dapr-injector FILE [-config DIR] MANIFEST...")
		os.Exit(2)
	}
	known, err := injectorAnnotations(*injector)
	if err != nil {
		fail(err)
	}
	ctx, err := clusterContext(*configDir)
	if err != nil {
		fail(err)
	}
	failed := false
	for _, file := range flag.Args() {
		problems := check(ctx, file, known)
		for _, p := range problems {
			fmt.Printf("%s: %s\n", file, p)
		}
		if len(problems) == 0 {
			fmt.Printf("%s: ok\n", file)
		}
		failed = failed || len(problems) > 0
	}
	if failed {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "manifest-check:", err)
	os.Exit(2)
}

func check(ctx context.Context, file string, known map[string]string) []string {
	data, err := os.ReadFile(file)
	if err != nil {
		return []string{err.Error()}
	}
	var service servingv1.Service
	if err := yaml.UnmarshalStrict(data, &service); err != nil {
		return []string{"not a Service as Knative decodes it: " + err.Error()}
	}
	if service.APIVersion != "serving.knative.dev/v1" || service.Kind != "Service" {
		return []string{fmt.Sprintf("apiVersion/kind %s/%s, want serving.knative.dev/v1/Service", service.APIVersion, service.Kind)}
	}
	var problems []string
	problems = append(problems, daprProblems(service.Spec.Template.Annotations, known)...)
	for key := range service.Annotations {
		if strings.HasPrefix(key, "dapr.io/") {
			problems = append(problems, key+": a Dapr annotation on the Service, which the injector never reads (it belongs on spec.template)")
		}
	}
	service.SetDefaults(apis.WithinCreate(ctx))
	// the webhook refuses a create on an error and passes warnings back to the client; we allow neither
	errs := service.Validate(apis.WithinCreate(ctx))
	problems = append(problems, lines("Knative refuses it: ", errs.Filter(apis.ErrorLevel))...)
	problems = append(problems, lines("Knative warns: ", errs.Filter(apis.WarningLevel))...)
	sort.Strings(problems)
	return problems
}

func lines(prefix string, errs *apis.FieldError) []string {
	if errs == nil {
		return nil
	}
	var out []string
	for _, e := range strings.Split(errs.Error(), "\n") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, prefix+e)
		}
	}
	return out
}

// clusterContext carries the cluster's Serving configuration as the webhook's config store does.
func clusterContext(dir string) (context.Context, error) {
	maps := map[string]map[string]string{"config-defaults": {}, "config-features": {}, "config-autoscaler": {}}
	if dir != "" {
		for name := range maps {
			data, err := os.ReadFile(filepath.Join(dir, name+".yaml"))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			var cm corev1.ConfigMap
			if err := yaml.UnmarshalStrict(data, &cm); err != nil {
				return nil, fmt.Errorf("%s.yaml: %w", name, err)
			}
			maps[name] = cm.Data
		}
	}
	defaults, err := config.NewDefaultsConfigFromMap(maps["config-defaults"])
	if err != nil {
		return nil, fmt.Errorf("config-defaults: %w", err)
	}
	features, err := config.NewFeaturesConfigFromMap(maps["config-features"])
	if err != nil {
		return nil, fmt.Errorf("config-features: %w", err)
	}
	autoscaler, err := autoscalerconfig.NewConfigFromMap(maps["config-autoscaler"])
	if err != nil {
		return nil, fmt.Errorf("config-autoscaler: %w", err)
	}
	return config.ToContext(context.Background(), &config.Config{Defaults: defaults, Features: features, Autoscaler: autoscaler}), nil
}

// injectorAnnotations reads the annotation-tagged fields of the injector's SidecarConfig: annotation -> Go type.
func injectorAnnotations(file string) (map[string]string, error) {
	parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	known := map[string]string{}
	ast.Inspect(parsed, func(n ast.Node) bool {
		spec, ok := n.(*ast.TypeSpec)
		if !ok || spec.Name.Name != "SidecarConfig" {
			return true
		}
		for _, field := range spec.Type.(*ast.StructType).Fields.List {
			if field.Tag == nil {
				continue
			}
			tag, _ := strconv.Unquote(field.Tag.Value)
			if key := reflect.StructTag(tag).Get("annotation"); key != "" {
				known[key] = typeName(field.Type)
			}
		}
		return false
	})
	if len(known) == 0 {
		return nil, fmt.Errorf("no annotation-tagged SidecarConfig fields in %s", file)
	}
	return known, nil
}

func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return typeName(t.X)
	case *ast.SelectorExpr:
		return typeName(t.X) + "." + t.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

func daprProblems(annotations map[string]string, known map[string]string) []string {
	var problems []string
	for key, value := range annotations {
		if !strings.HasPrefix(key, "dapr.io/") {
			continue
		}
		kind, ok := known[key]
		if !ok {
			problems = append(problems, key+": not an annotation the Dapr sidecar injector reads")
			continue
		}
		if err := parses(key, kind, value); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %q %v", key, value, err))
		}
	}
	return problems
}

// parses holds a value to what its field needs; quantities and durations as the injector later parses them.
func parses(key, kind, value string) error {
	switch {
	case strings.HasPrefix(key, "dapr.io/sidecar-cpu-") || strings.HasPrefix(key, "dapr.io/sidecar-memory-"):
		if _, err := resource.ParseQuantity(value); err != nil {
			return fmt.Errorf("is not a resource quantity: %w", err)
		}
	case key == "dapr.io/block-shutdown-duration" || key == "dapr.io/actors-disseminate-timeout":
		if _, err := time.ParseDuration(value); err != nil {
			return fmt.Errorf("is not a duration: %w", err)
		}
	case kind == "bool":
		switch strings.ToLower(value) {
		case "true", "false", "yes", "no", "on", "off", "y", "n", "1", "0":
		default:
			return errors.New("is not a boolean (the injector would read it as false)")
		}
	case strings.HasPrefix(kind, "int"):
		if _, err := strconv.ParseInt(value, 10, 32); err != nil {
			return errors.New("is not an integer (the injector would ignore it)")
		}
	case strings.HasPrefix(kind, "uint"):
		if _, err := strconv.ParseUint(value, 10, 32); err != nil {
			return errors.New("is not a non-negative integer (the injector would ignore it)")
		}
	}
	return nil
}
