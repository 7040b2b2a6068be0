using Dockerbuild.Cli.Formatting;

namespace Dockerbuild.Cli.Tests.Formatting;

/// <summary>
/// The template engine against Go's text/template documentation (the examples of its package doc: trim
/// markers, pipelines, with/range, printf) and docker's "Format command and log output" page (join,
/// json, lower, split, title, upper, println, pad, truncate). Expected strings are those documents'.
/// </summary>
public sealed class GoTemplateTests
{
    private static readonly Dictionary<string, object?> Data = new(StringComparer.Ordinal)
    {
        ["Name"] = "Web-Server",
        ["Image"] = "ubuntu:latest",
        ["Args"] = (IReadOnlyList<string>)["-c", "exit 0"],
        ["Labels"] = (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(StringComparer.Ordinal) { ["b"] = "2", ["a"] = "1" },
        ["Config"] = (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(StringComparer.Ordinal) { ["User"] = "app", ["Env"] = (IReadOnlyList<object?>)["A=1", "B=2"] },
        ["Empty"] = (IReadOnlyList<object?>)[],
        ["Count"] = 3L,
        ["Ratio"] = 1.5,
        ["Flag"] = true,
        ["Nothing"] = null,
    };

    private static string Run(string template, object? data = null) => GoTemplate.Parse(template).Execute(data ?? Data);

    [Theory]
    // text/template package doc: "{{23 -}} < {{- 45}}" generates "23<45".
    [InlineData("{{23 -}} < {{- 45}}", "23<45")]
    // The package doc's pipeline examples, all of which produce the quoted word "output".
    [InlineData("{{\"\\\"output\\\"\"}}", "\"output\"")]
    [InlineData("{{`\"output\"`}}", "\"output\"")]
    [InlineData("{{printf \"%q\" \"output\"}}", "\"output\"")]
    [InlineData("{{\"output\" | printf \"%q\"}}", "\"output\"")]
    [InlineData("{{printf \"%q\" (print \"out\" \"put\")}}", "\"output\"")]
    [InlineData("{{\"put\" | printf \"%s%s\" \"out\" | printf \"%q\"}}", "\"output\"")]
    [InlineData("{{\"output\" | printf \"%s\" | printf \"%q\"}}", "\"output\"")]
    [InlineData("{{with \"output\"}}{{printf \"%q\" .}}{{end}}", "\"output\"")]
    [InlineData("{{with $x := \"output\" | printf \"%q\"}}{{$x}}{{end}}", "\"output\"")]
    [InlineData("{{with $x := \"output\"}}{{printf \"%q\" $x}}{{end}}", "\"output\"")]
    [InlineData("{{with $x := \"output\"}}{{$x | printf \"%q\"}}{{end}}", "\"output\"")]
    public void GoPackageDocExamples(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    // docker's formatting page: join, json, lower, split, title, upper, println, pad, truncate.
    [InlineData("{{join .Args \" , \"}}", "-c , exit 0")]
    [InlineData("{{json .Labels}}", "{\"a\":\"1\",\"b\":\"2\"}")]
    [InlineData("{{lower .Name}}", "web-server")]
    [InlineData("{{split .Image \":\"}}", "[ubuntu latest]")]
    [InlineData("{{title \"hello wide_world\"}}", "Hello Wide_world")]
    [InlineData("{{upper .Name}}", "WEB-SERVER")]
    [InlineData("{{println .Name}}", "Web-Server\n")]
    [InlineData("{{range .Config.Env}}{{println .}}{{end}}", "A=1\nB=2\n")]
    [InlineData("[{{pad .Name 2 1}}][{{pad \"\" 2 1}}]", "[  Web-Server ][]")]
    [InlineData("{{truncate .Name 3}}|{{truncate .Name 30}}", "Web|Web-Server")]
    [InlineData("{{.Name | lower | upper}}", "WEB-SERVER")]
    [InlineData("{{join (split .Image \":\") \"@\"}}", "ubuntu@latest")]
    public void DockerFunctions(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{.Config.User}}", "app")]
    [InlineData("{{.Config.Nope}}", "<no value>")]
    [InlineData("{{.Nothing}}", "<no value>")]
    [InlineData("{{$.Config.User}}", "app")]
    [InlineData("{{with .Config}}{{.User}}{{end}}", "app")]
    [InlineData("{{with .Empty}}x{{else}}none{{end}}", "none")]
    [InlineData("{{(index .Args 1)}}|{{index .Labels \"b\"}}|{{index .Config.Env 0}}", "exit 0|2|A=1")]
    [InlineData("{{len .Args}} {{len .Labels}} {{len \"héllo\"}}", "2 2 6")]
    [InlineData("{{range $i, $e := .Args}}{{$i}}={{$e}};{{end}}", "0=-c;1=exit 0;")]
    [InlineData("{{range $k, $v := .Labels}}{{$k}}:{{$v}} {{end}}", "a:1 b:2 ")]
    [InlineData("{{range $v := .Labels}}{{$v}}{{end}}", "12")]
    [InlineData("{{range .Empty}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{range .Args}}{{if eq . \"-c\"}}{{continue}}{{end}}{{.}}{{end}}", "exit 0")]
    [InlineData("{{range .Args}}{{.}}{{break}}{{end}}", "-c")]
    [InlineData("{{$x := 1}}{{if .Flag}}{{$x = 2}}{{end}}{{$x}}", "2")]
    [InlineData("{{.Labels}} {{.Args}} {{.Count}} {{.Ratio}} {{.Flag}}", "map[a:1 b:2] [-c exit 0] 3 1.5 true")]
    // Go 1.22: range over an int counts from 0.
    [InlineData("{{range $i := 3}}{{$i}}{{end}}|{{range 0}}x{{else}}none{{end}}", "012|none")]
    public void FieldsVariablesAndRange(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{if eq .Name \"x\"}}a{{else if eq .Name \"Web-Server\"}}b{{else}}c{{end}}", "b")]
    [InlineData("{{if .Nothing}}a{{else}}b{{end}}", "b")]
    [InlineData("{{if not .Flag}}a{{else}}b{{end}}", "b")]
    [InlineData("{{if and .Flag .Count}}yes{{end}}", "yes")]
    [InlineData("{{and 1 0 \"x\"}} {{or 0 \"\" \"z\"}} {{or 0 \"\"}}", "0 z ")]
    [InlineData("{{and .Nothing .Nothing.Field}}", "<no value>")]
    [InlineData("{{eq .Count 1 2 3}} {{ne .Name \"Web-Server\"}} {{lt 1 2}} {{ge \"b\" \"a\"}}", "true false true true")]
    [InlineData("{{- if .Flag }}\n  yes\n{{- end }}", "\n  yes")]
    [InlineData("a {{- /* a comment */ -}} b", "ab")]
    public void Conditions(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    // fmt's documented verbs, widths and error forms.
    [InlineData("{{printf \"%5d|%-5s|%05.1f\" 42 \"ab\" 3.14159}}", "   42|ab   |003.1")]
    [InlineData("{{printf \"%v %d\" 1.5 \"x\"}}", "1.5 %!d(string=x)")]
    [InlineData("{{printf \"%s|%d\"}}", "%!s(MISSING)|%!d(MISSING)")]
    [InlineData("{{printf \"%d\" 1 2}}", "1%!(EXTRA int=2)")]
    [InlineData("{{printf \"%q %v %x %.2s %t %%\" \"a\\tb\" .Args 255 \"hello\" true}}", "\"a\\tb\" [-c exit 0] ff he true %")]
    [InlineData("{{printf \"%v %v %v %v\" 1e6 100000.0 0.0001 0.00001}}", "1e+06 100000 0.0001 1e-05")]
    [InlineData("{{printf \"%.3g %.3g %.3g %.3g\" 1.125 1.135 999.5 2.0}}", "1.12 1.14 1e+03 2")]
    [InlineData("{{printf \"%-12s|\" .Name}}", "Web-Server  |")]
    [InlineData("{{printf \"%s %v %d\" .Nothing .Nothing true}}", "%!s(<nil>) <nil> %!d(bool=true)")]
    [InlineData("{{print 1 2 \"a\" 3 \"b\"}}|{{println 1 \"a\"}}", "1 2a3b|1 a\n")]
    public void Printf(string template, string expected) => Assert.Equal(expected, Run(template));

    [Fact]
    public void JsonOfARecordHasEveryFieldSortedAndDoesNotEscapeHtml()
    {
        var record = new TemplateRecord("*formatter.imageContext", new Dictionary<string, object?>(StringComparer.Ordinal) { ["Tag"] = "<none>", ["ID"] = "a&b" });
        Assert.Equal("{\"ID\":\"a&b\",\"Tag\":\"<none>\"}", GoTemplate.Parse("{{json .}}").Execute(record));
    }

    [Theory]
    [InlineData("{{nope .}}", "template: :1: function \"nope\" not defined")]
    [InlineData("{{.Name", "template: :1: unclosed action")]
    [InlineData("x\n{{if .Name}}y", "template: :2: unexpected EOF")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("{{else}}", "template: :1: unexpected {{else}}")]
    [InlineData("{{break}}", "template: :1: {{break}} outside {{range}}")]
    [InlineData("{{\"abc}}", "template: :1: unterminated quoted string")]
    [InlineData("{{}}", "template: :1: missing value for command")]
    [InlineData("{{\"\\uD800\"}}", "template: :1: invalid syntax in quoted string")]
    public void ParseErrorsReadAsGos(string template, string expected) =>
        Assert.Equal(expected, Assert.Throws<TemplateException>(() => GoTemplate.Parse(template)).Message);

    [Theory]
    [InlineData("{{.Nope}}", "template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext")]
    [InlineData("x\n  {{.ID.Deeper}}", "template: :2:4: executing \"\" at <.ID.Deeper>: can't evaluate field Deeper in type string")]
    [InlineData("{{index .ID 1}}", "error calling index: can't index item of type string")]
    [InlineData("{{range .ID}}{{end}}", "range can't iterate over abc")]
    [InlineData("{{lower 1}}", "wrong type for value; expected string; got int")]
    [InlineData("{{upper}}", "wrong number of args for upper: want 1 got 0")]
    [InlineData("{{.ID 1}}", ".ID is not a method but has arguments")]
    [InlineData("{{eq .ID 1}}", "error calling eq: incompatible types for comparison")]
    public void ExecutionErrorsNameTheAction(string template, string expected)
    {
        var record = new TemplateRecord("*formatter.imageContext", new Dictionary<string, object?>(StringComparer.Ordinal) { ["ID"] = "abc" });
        var error = Assert.Throws<TemplateException>(() => GoTemplate.Parse(template).Execute(record));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void HeaderFunctionsReturnTheColumnName()
    {
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Repository"] = "REPOSITORY", ["Tag"] = "TAG" };
        var template = GoTemplate.Parse("{{lower .Repository}}\t{{truncate .Tag 1}}\t{{.Size}}");
        Assert.Equal("REPOSITORY\tTAG\t<no value>", template.ExecuteHeader(headers));
    }

    [Fact]
    public void HugeWidthsAndCountsAreNotAllocated()
    {
        Assert.True(Run("{{printf \"%99999999999d\" 1}}").Length < 100);
        Assert.Equal("0", Run("{{range 1000000000000}}{{.}}{{break}}{{end}}"));
    }
}
