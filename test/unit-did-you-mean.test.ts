import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {didYouMean, editDistance} from '../src/cli/did-you-mean.js';
import {launchFlags} from '../src/cli/flags.js';
import {rewordYargsMessage} from '../src/cli/shared.js';

describe('editDistance', () => {
	it('counts inserts, deletes, replacements, and a swap of neighbours as one', () => {
		assert.equal(editDistance('sever', 'server'), 1);
		assert.equal(editDistance('wiat', 'wait'), 1);
		assert.equal(editDistance('timout', 'timeout'), 1);
		assert.equal(editDistance('kitten', 'sitting'), 3);
		assert.equal(editDistance('', 'abc'), 3);
		assert.equal(editDistance('same', 'same'), 0);
	});
});

describe('didYouMean', () => {
	it('suggests the nearest candidate within reach, nothing for a word far from all', () => {
		assert.equal(didYouMean('sever', ['server', 'url', 'port']), 'server');
		assert.equal(didYouMean('wiat', ['wait', 'doctor']), 'wait');
		assert.equal(didYouMean('kil-timeout', ['kill-timeout', 'timeout']), 'kill-timeout');
		assert.equal(didYouMean('zzz', ['server', 'url']), undefined);
		assert.equal(didYouMean('claude', ['wait', 'doctor']), undefined);
		assert.equal(didYouMean('url', ['url']), undefined, 'the word itself is no typo');
	});

	it('reaches yargs\' unknown-option message', () => {
		assert.equal(rewordYargsMessage('Unknown argument: sever', launchFlags), 'unknown option --sever: did you mean --server?');
		assert.equal(rewordYargsMessage('Unknown argument: zzz', launchFlags), 'unknown option --zzz: expected one of the options listed by --help');
	});
});
