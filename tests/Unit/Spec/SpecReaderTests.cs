using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OciRuntime.Spec;
using Xunit;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Spec;

/// <summary>
/// The hand-made config.json reader against the source-generated path it stands in for.
/// The contract, checked on every document here: when the generated path rejects a document,
/// the reader gives up (so the error message is the generated path's); when the reader
/// accepts one, its result serializes exactly as the generated path's result does. And it
/// must accept the documents runcs really meets, or it would save nothing.
/// </summary>
public class SpecReaderTests
{
    private static OciSpec? Generated(string json)
    {
        try { return JsonSerializer.Deserialize(json, SpecJsonContext.Default.Spec); }
        catch (JsonException) { return null; }
    }

    /// <summary>Checks the contract on one document; true when the reader accepted it.</summary>
    private static bool Check(string json)
    {
        var fast = SpecReader.TryRead(json, SpecReader.ReadSpec);
        var generated = Generated(json);
        if (generated == null)
        {
            Assert.True(fast == null, "the reader accepted a document the generated path rejects:\n" + json);
            return false;
        }
        if (fast == null) return false;
        Assert.Equal(SpecJson.Serialize(generated), SpecJson.Serialize(fast));
        return true;
    }

    private static string Linux(string fullConfig)
    {
        // The fixture's platform sections are the generated path's business; without them it is a Linux config.
        var node = JsonNode.Parse(fullConfig)!.AsObject();
        foreach (var p in new[] { "solaris", "windows", "vm", "zos", "freebsd" }) node.Remove(p);
        return node.ToJsonString();
    }

    public static TheoryData<string> RealConfigs => new()
    {
        SpecJson.Serialize(DefaultSpec.Create(rootless: false)),
        SpecJson.Serialize(DefaultSpec.Create(rootless: true, 1000, 1000)),
        Fixtures.RuncSpec,
        Fixtures.RuncSpecRootless,
        Linux(Fixtures.FullConfig),
    };

    [Theory]
    [MemberData(nameof(RealConfigs))]
    public void RealConfigs_AreAcceptedAndReadExactly(string json)
    {
        Assert.True(Check(json), "the reader gave up on a real config");
    }

    [Fact]
    public void FullConfigWithPlatformSections_IsLeftToTheGeneratedPath()
    {
        Assert.Null(SpecReader.TryRead(Fixtures.FullConfig, SpecReader.ReadSpec));
        Assert.Equal(SpecJson.Serialize(Generated(Fixtures.FullConfig)!), SpecJson.Serialize(SpecJson.ParseSpec(Fixtures.FullConfig)));
    }

    [Theory]
    [InlineData("""{"OCIVERSION":"1.0.0","Process":{"ARGS":["sh"],"uSeR":{"UID":1,"gid":2}}}""", true)]
    [InlineData("""{"ociVersion":"1","unknown":{"deep":[1,{"x":null}]},"linux":{"whatever":[]}}""", true)]
    [InlineData("""{"\u006fciVersion":"\u0031\n\u00e9"}""", true)]
    [InlineData("""{"ociVersion":null,"process":null,"mounts":null,"annotations":null,"linux":null}""", true)]
    [InlineData("""{"mounts":[],"annotations":{},"linux":{"namespaces":[],"sysctl":{}}}""", true)]
    [InlineData("""{"process":{"user":{"uid":4294967295,"gid":0},"oomScoreAdj":-1000,"rlimits":[{"type":"RLIMIT_NOFILE","hard":18446744073709551615,"soft":0}]}}""", true)]
    [InlineData("""{"linux":{"resources":{"memory":{"limit":-1,"swap":9223372036854775807},"blockIO":{"weight":65535}}}}""", true)]
    [InlineData(""" {"ociVersion":"1"} """, true)]
    [InlineData("""{"":1,"aVeryLongMemberNameThatMatchesNothingInTheModelAtAllReally":2}""", true)]
    [InlineData("""{"ociVersion":"1","ociVersion":"2"}""", false)]            // repeated member
    [InlineData("""{"ociVersion":"1","OciVersion":"2"}""", false)]            // the same member in another case
    [InlineData("""{"annotations":{"a":"1","a":"2"}}""", false)]              // repeated key
    [InlineData("""{"annotations":{"a":null}}""", false)]
    [InlineData("""{"process":{"args":["sh",null]}}""", false)]
    [InlineData("""{"process":{"user":{"uid":null}}}""", false)]
    [InlineData("""{"process":{"user":{"uid":-1}}}""", false)]
    [InlineData("""{"process":{"user":{"uid":1.0}}}""", false)]
    [InlineData("""{"process":{"user":{"uid":1e3}}}""", false)]
    [InlineData("""{"process":{"user":{"uid":"1"}}}""", false)]
    [InlineData("""{"process":{"terminal":"true"}}""", false)]
    [InlineData("""{"process":{"args":"sh"}}""", false)]
    [InlineData("""{"linux":{"resources":{"blockIO":{"weight":65536}}}}""", false)]
    [InlineData("""{"hostname":1}""", false)]
    [InlineData("""{"h\u00f6stname":"x"}""", false)]                        // non-ASCII names are the generated path's
    [InlineData("""{"ociVersion":"1",}""", false)]
    [InlineData("""{"ociVersion":"1"/*c*/}""", false)]
    [InlineData("""{"ociVersion":"1"}x""", false)]
    [InlineData("""{"ociVersion":"1"} {}""", false)]
    [InlineData("""{"ociVersion":"1" """, false)]
    [InlineData("""null""", false)]
    [InlineData("""[]""", false)]
    [InlineData("", false)]
    [InlineData("""{"windows":null}""", false)]
    [InlineData("""{"solaris":{}}""", false)]
    public void EdgeCases(string json, bool accepted)
    {
        Assert.Equal(accepted, Check(json));
    }

    [Fact]
    public void LoneSurrogate_IsLeftToTheGeneratedPath()
    {
        Assert.Null(SpecReader.TryRead("{\"hostname\":\"\ud800\"}", SpecReader.ReadSpec));
    }

    [Fact]
    public void ParseErrors_AreTheGeneratedPathsMessages()
    {
        foreach (var bad in new[] { """{"process":{"user":{"uid":"1"}}}""", """{"ociVersion":"1",}""", """{"mounts":[1]}""" })
        {
            var e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec(bad));
            Assert.Contains("config.json: invalid JSON at line 1", e.Message);
        }
    }

    [Fact]
    public void OtherDocuments_ProcessResourcesSeccomp()
    {
        var spec = SpecJson.ParseSpec(Linux(Fixtures.FullConfig));
        var process = SpecJson.Serialize(spec.Process!, null);
        Assert.Equal(process, SpecJson.Serialize(SpecReader.TryRead(process, SpecReader.ReadProcess)!, null));
        var resources = SpecJson.Serialize(spec.Linux!.Resources!);
        Assert.Equal(resources, SpecJson.Serialize(SpecReader.TryRead(resources, SpecReader.ReadLinuxResources)!));
        Assert.NotNull(spec.Linux.Seccomp);
        var seccomp = JsonSerializer.Serialize(spec.Linux.Seccomp, SpecJsonContext.Default.LinuxSeccomp);
        Assert.Equal(seccomp, JsonSerializer.Serialize(SpecJson.ParseSeccomp(seccomp), SpecJsonContext.Default.LinuxSeccomp));
        Assert.NotNull(SpecReader.TryRead(seccomp, SpecReader.ReadLinuxSeccomp));
    }

    // ------------------------------------------------------------------ random documents

    private static readonly string[] Strings = ["", "a", "sh", "/bin/true", "ü€😀", "q\"uote", "back\\slash", "ctl\u0001\t\n", "+<>&'", "CAP_KILL"];

    /// <summary>A random instance of a model class: every member set in "full" mode, else about half of them.</summary>
    private static object? RandomValue(Type t, Random rng, int depth, bool full)
    {
        var u = Nullable.GetUnderlyingType(t);
        if (u != null) return RandomValue(u, rng, depth, full);
        if (t == typeof(string)) return Strings[rng.Next(Strings.Length)];
        if (t == typeof(bool)) return rng.Next(2) == 0;
        if (t == typeof(int)) return rng.Next(4) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => rng.Next(-1000, 1000) };
        if (t == typeof(uint)) return rng.Next(3) == 0 ? uint.MaxValue : (uint)rng.Next(0, 100000);
        if (t == typeof(long)) return rng.Next(3) switch { 0 => long.MinValue, 1 => long.MaxValue, _ => (long)rng.Next(-5, 1 << 30) };
        if (t == typeof(ulong)) return rng.Next(3) == 0 ? ulong.MaxValue : (ulong)rng.Next(0, 1 << 30);
        if (t == typeof(ushort)) return (ushort)rng.Next(0, 65536);
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(t)!;
            int n = depth > 4 ? 0 : rng.Next(full ? 1 : 0, 3);
            for (int i = 0; i < n; i++) list.Add(RandomValue(t.GetGenericArguments()[0], rng, depth + 1, full));
            return list;
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var map = (IDictionary)Activator.CreateInstance(t)!;
            int n = depth > 4 ? 0 : rng.Next(full ? 1 : 0, 3);
            for (int i = 0; i < n; i++) map[$"k{i}{Strings[rng.Next(Strings.Length)]}"] = RandomValue(t.GetGenericArguments()[1], rng, depth + 1, full);
            return map;
        }
        if (t.Namespace == "OciRuntime.Spec" && t.IsClass && !t.IsAbstract)
        {
            var o = Activator.CreateInstance(t)!;
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetCustomAttribute<JsonPropertyNameAttribute>() == null || !p.CanWrite) continue;
                if (p.PropertyType.Name is "Solaris" or "Windows" or "VM" or "ZOS" or "FreeBSD") continue;
                if (!full && rng.Next(2) == 0) continue;
                if (depth > 6 && !p.PropertyType.IsValueType) continue;
                p.SetValue(o, RandomValue(p.PropertyType, rng, depth + 1, full));
            }
            return o;
        }
        throw new InvalidOperationException("no random value for " + t);
    }

    [Fact]
    public void RandomModels_EveryMemberOfTheModel_ReadExactly()
    {
        var rng = new Random(20261124);
        for (int i = 0; i < 300; i++)
        {
            var spec = (OciSpec)RandomValue(typeof(OciSpec), rng, 0, full: i < 20)!;
            var json = SpecJson.Serialize(spec, i % 2 == 0 ? null : "\t");
            Assert.True(Check(json), "the reader gave up on a model it should read:\n" + json);
            Assert.Equal(json, SpecJson.Serialize(SpecReader.TryRead(json, SpecReader.ReadSpec)!, i % 2 == 0 ? null : "\t"));
        }
    }

    /// <summary>One random change to a document: names in other cases, repeated or unknown members, values of another type.</summary>
    private static string Mutate(string json, Random rng)
    {
        var root = JsonNode.Parse(json)!;
        var objects = new List<JsonObject>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o) { objects.Add(o); foreach (var kv in o.ToList()) Walk(kv.Value); }
            else if (n is JsonArray a) foreach (var x in a) Walk(x);
        }
        Walk(root);
        var target = objects[rng.Next(objects.Count)];
        var keys = target.Select(kv => kv.Key).ToList();
        JsonNode?[] odd = [null, 1, -1, 1.5, "1", "x", true, new JsonArray(), new JsonObject(), 4294967296, 18446744073709551615UL, new JsonArray(JsonValue.Create((string?)null))];
        switch (rng.Next(6))
        {
            case 0 when keys.Count > 0:
                var k = keys[rng.Next(keys.Count)];
                var v = target[k];
                target.Remove(k);
                var changed = new string(k.Select(c => rng.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray());
                target[changed] = v;
                break;
            case 1 when keys.Count > 0:
                target[keys[rng.Next(keys.Count)]] = odd[rng.Next(odd.Length)]?.DeepClone();
                break;
            case 2:
                target["unknown" + rng.Next(3)] = odd[rng.Next(odd.Length)]?.DeepClone();
                break;
            case 3 when keys.Count > 0:
                // A repeated member (JsonObject cannot hold one): spliced into the text.
                var key = keys[rng.Next(keys.Count)];
                var text = root.ToJsonString();
                var member = $"\"{key}\":";
                int at = text.IndexOf(member, StringComparison.Ordinal);
                if (at > 0) return text.Insert(at, member + "null,");
                break;
            case 4:
                return root.ToJsonString().Replace("\"", "\\u0022", StringComparison.Ordinal) is var t && rng.Next(2) == 0 ? t : root.ToJsonString().Replace(":", " : ", StringComparison.Ordinal);
            default:
                if (keys.Count > 0) target.Remove(keys[rng.Next(keys.Count)]);
                break;
        }
        return root.ToJsonString();
    }

    [Fact]
    public void RandomMutations_KeepTheContract()
    {
        var rng = new Random(1124);
        int accepted = 0, given = 0;
        var bases = new List<string>();
        foreach (var d in RealConfigs) bases.Add(d);
        for (int i = 0; i < 3000; i++)
        {
            var json = bases[rng.Next(bases.Count)];
            for (int j = rng.Next(1, 4); j > 0; j--)
            {
                try { json = Mutate(json, rng); }
                catch (Exception e) when (e is ArgumentException or JsonException) { break; } // already a repeated member: JsonNode cannot hold it
            }
            if (Check(json)) accepted++;
            else given++;
        }
        // Both outcomes must occur, or the mutations test nothing.
        Assert.True(accepted > 300, $"accepted {accepted}");
        Assert.True(given > 300, $"gave up {given}");
    }
}
