use super::*;
use proptest::prelude::*;
use std::collections::HashMap;

fn hex32(s: &str) -> Hash {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or_else(|_| panic!("hex {s}"));
    }
    out
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or_else(|_| panic!("hex {s}")))
        .collect()
}

/// A log held in a map, filled only through [`append`] (as a store would be).
#[derive(Default)]
struct Log {
    nodes: HashMap<Node, Hash>,
    size: u64,
}

impl Log {
    fn push(&mut self, bytes: &[u8]) {
        let made = append(self.size, leaf_hash(bytes), |n| self.nodes.get(&n).copied())
            .unwrap_or_else(|e| panic!("append: {e}"));
        self.nodes.extend(made);
        self.size += 1;
    }
    fn read(&self) -> impl Fn(Node) -> Option<Hash> + '_ {
        |n| self.nodes.get(&n).copied()
    }
}

/// MTH straight from the RFC's definition over all leaf hashes: the independent reference.
fn reference_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let k = split(n as u64) as usize;
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}

// transparency-dev/merkle proof/verify_test.go: the eight leaves and the roots of sizes 1..8.
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn eight() -> Log {
    let mut log = Log::default();
    for l in LEAVES {
        log.push(&hex(l));
    }
    log
}

#[test]
fn rfc6962_known_hashes() {
    assert_eq!(
        EMPTY_ROOT,
        hex32("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(
        leaf_hash(b""),
        hex32("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    );
    assert_eq!(
        leaf_hash(b"L123456"),
        hex32("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56")
    );
    assert_eq!(
        node_hash_bytes(b"N123", b"N456"),
        hex32("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb")
    );
    assert_eq!(root(0, |_| None), Ok(EMPTY_ROOT));
}

#[test]
fn roots_of_the_eight_leaf_log() {
    let log = eight();
    for (i, want) in ROOTS.iter().enumerate() {
        assert_eq!(
            root(i as u64 + 1, log.read()),
            Ok(hex32(want)),
            "size {}",
            i + 1
        );
    }
}

/// (leaf index, size, proof) from verify_test.go (its leaf numbers are 1-based).
fn inclusion_vectors() -> Vec<(u64, u64, Vec<Hash>)> {
    let h = |v: &[&str]| v.iter().map(|s| hex32(s)).collect::<Vec<_>>();
    vec![
        (0, 1, vec![]),
        (
            0,
            8,
            h(&[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]),
        ),
        (
            5,
            8,
            h(&[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
        ),
        (
            2,
            3,
            h(&["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        ),
        (
            1,
            5,
            h(&[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]),
        ),
    ]
}

fn consistency_vectors() -> Vec<(u64, u64, Vec<Hash>)> {
    let h = |v: &[&str]| v.iter().map(|s| hex32(s)).collect::<Vec<_>>();
    vec![
        (1, 1, vec![]),
        (
            1,
            8,
            h(&[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]),
        ),
        (
            6,
            8,
            h(&[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
        ),
        (
            2,
            5,
            h(&[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]),
        ),
        (
            6,
            7,
            h(&[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
        ),
    ]
}

/// The corruptions of verify_test.go's `corruptInclusionProof`: each must fail.
fn corrupt_inclusions(
    index: u64,
    size: u64,
    proof: &[Hash],
    root: Hash,
) -> Vec<(u64, u64, Hash, Vec<Hash>, Hash)> {
    let leaf = leaf_hash(&hex(LEAVES[index as usize]));
    let some = hex32("abacaba000000000000000000000000000000000000000000060061e00123456");
    let mut out = vec![
        (index.wrapping_sub(1), size, leaf, proof.to_vec(), root),
        (index + 1, size, leaf, proof.to_vec(), root),
        (index ^ 2, size, leaf, proof.to_vec(), root),
        (index, size * 2, leaf, proof.to_vec(), root),
        (index, size / 2, leaf, proof.to_vec(), root),
        (index, size, leaf_hash(b"WrongLeaf"), proof.to_vec(), root),
        (index, size, leaf, proof.to_vec(), EMPTY_ROOT),
        (index, size, leaf, proof.to_vec(), some),
        (index, size, leaf, [proof, &[root]].concat(), root),
        (index, size, leaf, [&[root], proof].concat(), root),
    ];
    for i in 0..proof.len() {
        let mut p = proof.to_vec();
        p[i][0] ^= 8;
        out.push((index, size, leaf, p, root));
    }
    if !proof.is_empty() {
        out.push((index, size, leaf, proof[..proof.len() - 1].to_vec(), root));
    }
    if proof.len() > 1 {
        out.push((
            index,
            size,
            leaf,
            [&[proof[0], some], &proof[1..]].concat(),
            root,
        ));
    }
    out
}

#[test]
fn inclusion_proofs_match_the_known_answers_and_corruptions_fail() {
    let log = eight();
    for (index, size, want) in inclusion_vectors() {
        let made = inclusion_proof(index, size, log.read()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(made, want, "proof of {index} at {size}");
        let r = hex32(ROOTS[size as usize - 1]);
        let leaf = leaf_hash(&hex(LEAVES[index as usize]));
        assert_eq!(verify_inclusion(index, size, &leaf, &want, &r), Ok(()));
        for (i, s, l, p, rt) in corrupt_inclusions(index, size, &want, r) {
            assert!(
                verify_inclusion(i, s, &l, &p, &rt).is_err(),
                "corrupted probe verified: index {i} size {s} proof len {}",
                p.len()
            );
        }
    }
}

#[test]
fn consistency_proofs_match_the_known_answers_and_corruptions_fail() {
    let log = eight();
    for (from, to, want) in consistency_vectors() {
        let made = consistency_proof(from, to, log.read()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(made, want, "proof {from} → {to}");
        let (r1, r2) = (
            hex32(ROOTS[from as usize - 1]),
            hex32(ROOTS[to as usize - 1]),
        );
        assert_eq!(verify_consistency(from, to, &want, &r1, &r2), Ok(()));
        if want.is_empty() {
            continue;
        }
        let mut probes: Vec<(u64, u64, Hash, Hash, Vec<Hash>)> = vec![
            (from - 1, to, r1, r2, want.clone()),
            (from + 1, to, r1, r2, want.clone()),
            (from ^ 2, to, r1, r2, want.clone()),
            (from, to * 2, r1, r2, want.clone()),
            (from, to / 2, r1, r2, want.clone()),
            (from, to, leaf_hash(b"WrongRoot"), r2, want.clone()),
            (from, to, r1, leaf_hash(b"WrongRoot"), want.clone()),
            (from, to, r2, r1, want.clone()),
            (from, to, r1, r2, vec![]),
            (from, to, r1, r2, [&want[..], &[r1]].concat()),
            (from, to, r1, r2, [&want[..], &[r2]].concat()),
            (from, to, r1, r2, [&[r1], &want[..]].concat()),
            (from, to, r1, r2, [&[r2], &want[..]].concat()),
            (from, to, r1, r2, [&[want[0]], &want[..]].concat()),
            (from, to, r1, r2, want[..want.len() - 1].to_vec()),
        ];
        for i in 0..want.len() {
            let mut p = want.clone();
            p[i][0] ^= 16;
            probes.push((from, to, r1, r2, p));
        }
        for (f, t, a, b, p) in probes {
            assert!(
                verify_consistency(f, t, &p, &a, &b).is_err(),
                "corrupted probe verified: {f} → {t}, proof len {}",
                p.len()
            );
        }
    }
}

#[test]
fn trivial_consistency_cases_of_the_rfc() {
    let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
    assert_eq!(verify_consistency(0, 0, &[], &a, &a), Ok(()));
    assert_eq!(verify_consistency(0, 1, &[], &a, &b), Ok(()));
    assert_eq!(verify_consistency(1, 1, &[], &b, &b), Ok(()));
    assert!(verify_consistency(1, 1, &[], &a, &b).is_err());
    assert!(verify_consistency(1, 0, &[], &a, &b).is_err());
    assert!(verify_consistency(1, 2, &[], &a, &b).is_err());
    assert!(verify_consistency(1, 1, &[EMPTY_ROOT], &EMPTY_ROOT, &EMPTY_ROOT).is_err());
}

#[test]
fn a_million_entry_proof_reads_a_few_dozen_stored_hashes() {
    let n = 1_000_000u64;
    for index in [0, 1, 499_999, 524_288, 999_999] {
        let plan = inclusion_plan(index, n);
        assert!(
            plan.len() <= 2 * 20,
            "inclusion {index}: {} reads",
            plan.len()
        );
    }
    assert!(consistency_plan(999_000, n).len() <= 2 * 20);
    assert_eq!(root_plan(n).len(), n.count_ones() as usize);
    assert!(
        inclusion_plan(0, 0).is_empty(),
        "out of range asks for nothing"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random appends: every root matches the RFC's definition, every inclusion and
    /// consistency proof verifies, and flipping any bit of any proof hash makes it fail.
    #[test]
    fn random_logs_prove_and_flipped_bits_fail(
        sizes in 1usize..70,
        seed in any::<u64>(),
        bit in 0usize..256,
    ) {
        let mut log = Log::default();
        let mut leaves = Vec::new();
        for i in 0..sizes {
            let bytes = format!("entry {seed} {i}").into_bytes();
            leaves.push(leaf_hash(&bytes));
            log.push(&bytes);
        }
        for size in 1..=sizes as u64 {
            let r = root(size, log.read()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(r, reference_root(&leaves[..size as usize]));
        }
        let size = sizes as u64;
        let full = reference_root(&leaves);
        for index in 0..size {
            let p = inclusion_proof(index, size, log.read()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(inclusion_plan(index, size).len() <= 2 * 64, true);
            prop_assert_eq!(verify_inclusion(index, size, &leaves[index as usize], &p, &full), Ok(()));
            for j in 0..p.len() {
                let mut bad = p.clone();
                bad[j][bit / 8] ^= 1 << (bit % 8);
                prop_assert!(verify_inclusion(index, size, &leaves[index as usize], &bad, &full).is_err());
            }
        }
        for from in 1..=size {
            let old = reference_root(&leaves[..from as usize]);
            let p = consistency_proof(from, size, log.read()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(verify_consistency(from, size, &p, &old, &full), Ok(()));
            for j in 0..p.len() {
                let mut bad = p.clone();
                bad[j][bit / 8] ^= 1 << (bit % 8);
                prop_assert!(verify_consistency(from, size, &bad, &old, &full).is_err());
            }
        }
    }
}
