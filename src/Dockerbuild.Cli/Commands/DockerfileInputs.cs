using System.CommandLine;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Cli.Commands;

/// <summary>
/// Reads, parses and binds the Dockerfiles named on the command line, one at a time. A file that fails
/// is reported as one line on stderr (file:line:col: reason) and the others still run.
/// </summary>
internal static class DockerfileInputs
{
    public sealed record Loaded(string File, DockerfileSyntax Syntax, BoundDockerfile Bound);

    /// <summary>The FILE... argument. A word that looks like an option is reported as an unknown
    /// option rather than looked up as a file.</summary>
    public static Argument<string[]> FilesArgument(string description)
    {
        var files = new Argument<string[]>("FILE") { Description = description, Arity = ArgumentArity.OneOrMore };
        files.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault(t => t.Value.StartsWith('-') && t.Value != "-") is { } option)
            {
                result.AddError($"Unrecognized option '{option.Value}'.");
            }
        });
        return files;
    }

    /// <returns>The files that loaded, and whether any failed.</returns>
    public static async Task<(IReadOnlyList<Loaded> Files, bool AnyFailed)> LoadAsync(
        IEnumerable<string> files, TextWriter error, CancellationToken cancellationToken)
    {
        var loaded = new List<Loaded>();
        var failed = false;
        foreach (var file in files)
        {
            try
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken);
                var syntax = DockerfileParser.Parse(text, file);
                loaded.Add(new Loaded(file, syntax, DockerfileBinder.Bind(syntax)));
            }
            catch (DockerfileException e)
            {
                await error.WriteLineAsync(e.Message);
                failed = true;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                await error.WriteLineAsync($"{file}: no such file");
                failed = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{file}: {e.Message}");
                failed = true;
            }
        }

        return (loaded, failed);
    }
}
