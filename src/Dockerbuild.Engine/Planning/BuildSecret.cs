namespace Dockerbuild.Engine.Planning;

/// <summary>A <c>--secret id=..,src=..|env=..</c>: the value is read only when a RUN mounts it.</summary>
/// <param name="Id">What <c>--mount=type=secret,id=</c> names.</param>
/// <param name="FilePath">The file holding the value, or null.</param>
/// <param name="EnvironmentVariable">The variable holding the value, or null.</param>
public sealed record BuildSecret(string Id, string? FilePath, string? EnvironmentVariable)
{
    /// <summary>Parses the CLI form: <c>id=ID[,src|source=PATH][,env=VAR]</c>; with neither, env ID then file ID, as buildx does.</summary>
    public static BuildSecret Parse(string spec)
    {
        string? id = null, src = null, env = null;
        foreach (var field in spec.Split(','))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? field : field[..eq];
            var value = eq < 0 ? "" : field[(eq + 1)..];
            switch (key.ToLowerInvariant())
            {
                case "id":
                    id = value;
                    break;
                case "src" or "source":
                    src = value;
                    break;
                case "env":
                    env = value;
                    break;
                case "type" when value is "file" or "env":
                    break;
                default:
                    throw new BuildException($"invalid secret \"{spec}\": unexpected key \"{key}\"");
            }
        }

        id ??= src is not null ? Path.GetFileName(src) : env;
        if (string.IsNullOrEmpty(id))
        {
            throw new BuildException($"invalid secret \"{spec}\": id is required");
        }

        if (src is null && env is null)
        {
            env = Environment.GetEnvironmentVariable(id) is not null ? id : null;
            src = env is null ? id : null;
        }

        return new BuildSecret(id, src is null ? null : Path.GetFullPath(src), env);
    }

    public async Task<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        if (EnvironmentVariable is not null)
        {
            return System.Text.Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(EnvironmentVariable)
                ?? throw new BuildException($"secret {Id}: environment variable {EnvironmentVariable} is not set"));
        }

        try
        {
            return await File.ReadAllBytesAsync(FilePath!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BuildException($"secret {Id}: cannot read {FilePath}: {e.Message}", e);
        }
    }
}
