using Dockerbuild.Oci.Unix;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// WORKDIR: the path is taken relative to the previous one and created as BuildKit's mkdir -p does
/// (0755, owned by root unless USER is numeric), in a layer of its own; an existing directory
/// changes nothing, so no layer.
/// </summary>
internal sealed class WorkdirHandler(BuildSession session)
{
    public async Task<StageState> ExecuteAsync(WorkdirInstruction workdir, StageState state, StepContext step, CancellationToken cancellationToken)
    {
        var expanded = SpanExpansion.Expand(workdir.Span, () => session.Lexer.ProcessWord(workdir.Path, state.Scope.Environment).Result);
        var path = Clean(expanded.StartsWith('/') ? expanded : (state.Config.Config.WorkingDir is { Length: > 0 } previous ? previous : "/") + "/" + expanded);
        state = state with { Config = state.Config with { Config = state.Config.Config with { WorkingDir = path } } };
        var history = new History { Created = step.Created, CreatedBy = "WORKDIR " + path, Comment = "buildkit.dockerfile.v0" };
        if (path == "/")
        {
            return state with { Config = state.Config.WithEmptyLayerHistory(history) };
        }

        var lowers = await session.Layers.GetTopFirstAsync(state.Layers, state.Config.RootFs.DiffIds, cancellationToken).ConfigureAwait(false);
        var (uid, gid) = await OwnerAsync(workdir, state.Config.Config.User, lowers, cancellationToken).ConfigureAwait(false);
        var entries = new List<LayerEntry>();
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var missingFrom = -1;
        for (var i = 0; i < parts.Length; i++)
        {
            var relative = string.Join('/', parts[..(i + 1)]);
            var existing = lowers.Select(l => Path.Combine(l, relative)).FirstOrDefault(Directory.Exists);
            if (existing is null)
            {
                missingFrom = i;
                break;
            }
        }

        if (missingFrom < 0)
        {
            return state with { Config = state.Config.WithEmptyLayerHistory(history) };
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var relative = string.Join('/', parts[..(i + 1)]);
            if (i < missingFrom)
            {
                // The parent gains an entry, so its changed mtime puts it in the diff, as in BuildKit's.
                var status = UnixFiles.LStat(lowers.Select(l => Path.Combine(l, relative)).First(Directory.Exists));
                entries.Add(LayerEntry.Directory(relative, (int)(status.Mode & 0xfff)) with
                {
                    Uid = status.Uid,
                    Gid = status.Gid,
                    ModificationTime = step.Created,
                });
            }
            else
            {
                entries.Add(LayerEntry.Directory(relative) with { Uid = uid, Gid = gid, ModificationTime = step.Created });
            }
        }

        return await session.Committer.CommitAsync(state, entries, history, step.LayerUsedLater, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// BuildKit's mkdir WithUser: names are looked up in the image's /etc/passwd and /etc/group (read
    /// from the topmost layer holding each file; a whiteout of them is not considered).
    /// </summary>
    private static async Task<(int Uid, int Gid)> OwnerAsync(WorkdirInstruction workdir, string? user, IReadOnlyList<string> lowers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user))
        {
            return (0, 0);
        }

        var root = lowers.FirstOrDefault(l => File.Exists(Path.Combine(l, "etc", "passwd"))) ?? lowers.FirstOrDefault() ?? "/nonexistent";
        try
        {
            var resolved = await UserResolver.ResolveAsync(root, user, cancellationToken).ConfigureAwait(false);
            return ((int)resolved.Uid, (int)resolved.Gid);
        }
        catch (UnknownUserException e)
        {
            throw new Dockerfile.DockerfileException(workdir.Span, e.Message, e);
        }
    }

    /// <summary>Go's path.Clean for absolute paths.</summary>
    internal static string Clean(string path)
    {
        var stack = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            stack.Add(part);
        }

        return "/" + string.Join('/', stack);
    }
}
