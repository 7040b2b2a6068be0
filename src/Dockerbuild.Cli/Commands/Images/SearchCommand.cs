using System.CommandLine;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild search [--limit N] [--filter K=V] [--no-trunc] [REGISTRY/]TERM</c>: the repositories of a
/// registry's catalog (<c>/v2/_catalog</c>, every page) whose name contains TERM, in docker's columns.
/// The catalog knows no descriptions or stars, so those columns are empty and zero.
/// </summary>
internal sealed class SearchCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var term = new Argument<string>("TERM") { Description = "Search term; REGISTRY/TERM searches that registry" };
        var limit = new Option<int>("--limit") { Description = "Max number of search results", DefaultValueFactory = _ => 25 };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter output: stars=N, is-official=true|false" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var format = new Option<string>("--format") { Description = "Format output: table, json, or a template with {{.Name}}, {{.Description}}, {{.StarCount}}, {{.IsOfficial}}" };
        var command = new Command("search", "Search a registry's catalog for images") { term, limit, filters, noTrunc, format };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var max = context.ParseResult.GetValue(limit);
            if (max is < 1 or > 100)
            {
                throw new UsageException($"limit {max} is outside the range of [1, 100]");
            }

            var (registry, text) = Split(context.ParseResult.GetRequiredValue(term));
            var minStars = 0;
            var officialOnly = false;
            foreach (var filter in context.ParseResult.GetValue(filters) ?? [])
            {
                var eq = filter.IndexOf('=', StringComparison.Ordinal);
                var (key, value) = eq < 0 ? (filter, "") : (filter[..eq], filter[(eq + 1)..]);
                switch (key)
                {
                    case "stars" when int.TryParse(value, out var stars):
                        minStars = stars;
                        break;
                    case "is-official" when bool.TryParse(value, out var official):
                        officialOnly = official;
                        break;
                    default:
                        throw new UsageException($"invalid filter '{filter}': supported are stars=N and is-official=true|false");
                }
            }

            using var client = context.CreateRegistryClient();
            var repositories = await client.ListRepositoriesAsync(registry, cancellationToken);
            var rows = new List<IReadOnlyDictionary<string, string>>();
            if (minStars <= 0 && !officialOnly)
            {
                var prefix = RegistryHosts.IsDockerHub(registry) ? "" : registry + "/";
                foreach (var repository in repositories.Where(r => r.Contains(text, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).Take(max))
                {
                    rows.Add(new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["Name"] = prefix + repository,
                        ["Description"] = "",
                        ["StarCount"] = "0",
                        ["IsOfficial"] = "",
                    });
                }
            }

            var requested = context.ParseResult.GetValue(format);
            var layout = new OutputFormat(requested is { Length: > 0 } f && f != "table" ? f : DefaultTemplate, Headers, "*registry.searchContext");
            await layout.WriteAsync(context.Output, rows);
            return CommandLineApp.Success;
        });
        return command;
    }

    private const string DefaultTemplate = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Name"] = "NAME",
        ["Description"] = "DESCRIPTION",
        ["StarCount"] = "STARS",
        ["IsOfficial"] = "OFFICIAL",
    };

    // docker's rule: a first component with '.' or ':' (or localhost) names the registry.
    private static (string Registry, string Term) Split(string term)
    {
        var slash = term.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = term[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return (RegistryHosts.Normalize(first), term[(slash + 1)..]);
            }
        }

        return (ImageReference.DockerHub, term);
    }
}
