//! The Merkle tree of RFC 9162 §2.1 (same as RFC 6962): hashing, proofs and their verification.
//!
//! The tree is never held in memory. What a log keeps is the hash of every *perfect* subtree
//! (2^level leaves starting at `index · 2^level`): they never change once complete, and any
//! subtree the RFC's algorithms ask for is a few of them joined along its right edge. So a proof
//! over a million entries reads O(log n) stored hashes, and appending one entry writes the new
//! leaf plus the perfect subtrees it completes. Reading is a closure, so the caller decides how
//! (one query for all of [`inclusion_plan`]'s nodes, say).

use sha2::{Digest, Sha256};
use thiserror::Error;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of nothing.
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// A perfect subtree: `2^level` leaves starting at leaf `index << level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub level: u32,
    pub index: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MerkleError {
    #[error("leaf {index} is not in a tree of {size} entries")]
    OutOfRange { index: u64, size: u64 },
    #[error("tree size {from} cannot be followed by {to}: a log only grows")]
    Shrinks { from: u64, to: u64 },
    #[error("stored hash of subtree {level}/{index} is missing")]
    Missing { level: u32, index: u64 },
    #[error("the proof has {got} hashes where {want} are needed")]
    WrongLength { got: usize, want: usize },
    #[error("the proof does not lead to the expected root")]
    Mismatch,
}

/// H(0x00 ‖ leaf bytes).
pub fn leaf_hash(bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(bytes);
    h.finalize().into()
}

/// H(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    node_hash_bytes(left, right)
}

/// [`node_hash`] over byte strings of any length (the RFC's known answers hash short ones).
fn node_hash_bytes(left: &[u8], right: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two smaller than `n` (n ≥ 2): where the RFC splits a tree of n leaves.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The perfect subtrees appending leaf `index` completes, with their hashes: the leaf itself,
/// then one per level while the new leaf closes a pair. `read` gives stored perfect subtrees
/// (only left siblings, all complete before this append).
pub fn append<F>(index: u64, leaf: Hash, read: F) -> Result<Vec<(Node, Hash)>, MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    let mut out = vec![(Node { level: 0, index }, leaf)];
    let (mut level, mut i, mut hash) = (0u32, index, leaf);
    while i & 1 == 1 {
        let left_node = Node {
            level,
            index: i - 1,
        };
        let left = read(left_node).ok_or(MerkleError::Missing {
            level,
            index: i - 1,
        })?;
        hash = node_hash(&left, &hash);
        level += 1;
        i >>= 1;
        out.push((Node { level, index: i }, hash));
    }
    Ok(out)
}

/// MTH(D[start:end]) from stored perfect subtrees. Every range the RFC's algorithms ask for
/// starts at a multiple of the largest power of two not above its length, so it is perfect or
/// splits into a perfect left part and a smaller such range.
fn range<F>(start: u64, end: u64, read: &F) -> Result<Hash, MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    let n = end - start;
    if n == 0 {
        return Ok(EMPTY_ROOT);
    }
    if n.is_power_of_two() && start.is_multiple_of(n) {
        let level = n.trailing_zeros();
        let index = start >> level;
        return read(Node { level, index }).ok_or(MerkleError::Missing { level, index });
    }
    let k = split(n);
    Ok(node_hash(
        &range(start, start + k, read)?,
        &range(start + k, end, read)?,
    ))
}

/// The root of the tree of the first `size` entries.
pub fn root<F>(size: u64, read: F) -> Result<Hash, MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    range(0, size, &read)
}

/// PATH(m, D[start:end]) of RFC 9162 §2.1.3.1, leaf-side first.
fn path<F>(m: u64, start: u64, end: u64, read: &F, out: &mut Vec<Hash>) -> Result<(), MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(m, start, start + k, read, out)?;
        out.push(range(start + k, end, read)?);
    } else {
        path(m - k, start + k, end, read, out)?;
        out.push(range(start, start + k, read)?);
    }
    Ok(())
}

/// The inclusion proof (audit path) of leaf `index` in the tree of `size` entries.
pub fn inclusion_proof<F>(index: u64, size: u64, read: F) -> Result<Vec<Hash>, MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    if index >= size {
        return Err(MerkleError::OutOfRange { index, size });
    }
    let mut out = Vec::new();
    path(index, 0, size, &read, &mut out)?;
    Ok(out)
}

/// SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1.
fn subproof<F>(
    m: u64,
    start: u64,
    end: u64,
    whole: bool,
    read: &F,
    out: &mut Vec<Hash>,
) -> Result<(), MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    let n = end - start;
    if m == n {
        if !whole {
            out.push(range(start, end, read)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(m, start, start + k, whole, read, out)?;
        out.push(range(start + k, end, read)?);
    } else {
        subproof(m - k, start + k, end, false, read, out)?;
        out.push(range(start, start + k, read)?);
    }
    Ok(())
}

/// The consistency proof from the tree of `from` entries to the tree of `to` entries (empty
/// when `from` is 0 or equals `to`: nothing to prove).
pub fn consistency_proof<F>(from: u64, to: u64, read: F) -> Result<Vec<Hash>, MerkleError>
where
    F: Fn(Node) -> Option<Hash>,
{
    if from > to {
        return Err(MerkleError::Shrinks { from, to });
    }
    let mut out = Vec::new();
    if from > 0 && from < to {
        subproof(from, 0, to, true, &read, &mut out)?;
    }
    Ok(out)
}

/// Runs `build` with a reader that records which stored subtrees it asks for, so a caller can
/// fetch exactly those (in one query) before building for real.
fn plan_of<B>(build: B) -> Vec<Node>
where
    B: FnOnce(&dyn Fn(Node) -> Option<Hash>),
{
    let asked = std::cell::RefCell::new(Vec::new());
    let record = |n: Node| {
        asked.borrow_mut().push(n);
        Some([0u8; 32])
    };
    build(&record);
    let mut nodes = asked.into_inner();
    nodes.sort();
    nodes.dedup();
    nodes
}

/// The stored subtrees [`inclusion_proof`] reads for this leaf and size (at most 2·log2 n).
pub fn inclusion_plan(index: u64, size: u64) -> Vec<Node> {
    plan_of(|r| {
        let _ = inclusion_proof(index, size, r);
    })
}

/// The stored subtrees [`consistency_proof`] reads for these sizes.
pub fn consistency_plan(from: u64, to: u64) -> Vec<Node> {
    plan_of(|r| {
        let _ = consistency_proof(from, to, r);
    })
}

/// The stored subtrees [`root`] reads for this size (one per set bit of the size).
pub fn root_plan(size: u64) -> Vec<Node> {
    plan_of(|r| {
        let _ = root(size, r);
    })
}

/// RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or why it cannot.
pub fn root_from_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, MerkleError> {
    if index >= size {
        return Err(MerkleError::OutOfRange { index, size });
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return Err(MerkleError::WrongLength {
                got: proof.len(),
                want: inclusion_length(index, size),
            });
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(MerkleError::WrongLength {
            got: proof.len(),
            want: inclusion_length(index, size),
        });
    }
    Ok(r)
}

/// How many hashes the inclusion proof of `index` in a tree of `size` has.
fn inclusion_length(index: u64, size: u64) -> usize {
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    let border = (index >> inner).count_ones();
    (inner + border) as usize
}

/// Checks an inclusion proof against a root.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    if &root_from_inclusion(index, size, leaf, proof)? == root {
        Ok(())
    } else {
        Err(MerkleError::Mismatch)
    }
}

/// RFC 9162 §2.1.4.2: checks that the tree of `from` entries with root `old` is a prefix of
/// the tree of `to` entries with root `new`.
pub fn verify_consistency(
    from: u64,
    to: u64,
    proof: &[Hash],
    old: &Hash,
    new: &Hash,
) -> Result<(), MerkleError> {
    if from > to {
        return Err(MerkleError::Shrinks { from, to });
    }
    if from == to || from == 0 {
        // Nothing to prove: equal sizes need equal roots, and the empty tree precedes all.
        if !proof.is_empty() {
            return Err(MerkleError::WrongLength {
                got: proof.len(),
                want: 0,
            });
        }
        return if from == 0 || old == new {
            Ok(())
        } else {
            Err(MerkleError::Mismatch)
        };
    }
    if proof.is_empty() {
        return Err(MerkleError::WrongLength { got: 0, want: 1 });
    }
    // When `from` is a power of two the old root is the first node of the path.
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if from.is_power_of_two() {
        path.push(*old);
    }
    path.extend_from_slice(proof);
    let (mut f_n, mut s_n) = (from - 1, to - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s_n == 0 {
            return Err(MerkleError::Mismatch);
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if &fr == old && &sr == new && s_n == 0 {
        Ok(())
    } else {
        Err(MerkleError::Mismatch)
    }
}

#[cfg(test)]
#[path = "merkle_tests.rs"]
mod tests;
